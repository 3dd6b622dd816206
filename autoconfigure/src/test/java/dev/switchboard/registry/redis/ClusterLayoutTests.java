package dev.switchboard.registry.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import dev.switchboard.ConnectionInfo;
import dev.switchboard.SendResult;
import dev.switchboard.UserOfflineEvent;
import dev.switchboard.UserOnlineEvent;
import dev.switchboard.fixtures.ClusterTestApplication;
import dev.switchboard.fixtures.EventLog;
import dev.switchboard.test.AppInstance;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedisCluster;
import dev.switchboard.test.TestRedisCluster.Node;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on a Redis Cluster of three masters, with the spread layout and sharded
 * pub/sub: the users' and rooms' keys spread over every master, a send to one instance is
 * carried by the one shard that owns its channel, presence is announced once, and a
 * killed instance is purged without leaving a key on any master.
 */
@TestInstance(Lifecycle.PER_CLASS)
class ClusterLayoutTests {

	private static final String PREFIX = "layout";

	/**
	 * A send takes two round trips on the spread layout, on a machine that runs the
	 * cluster and the instances.
	 */
	private static final String COMMAND_TIMEOUT = "switchboard.redis.command-timeout=900ms";

	private final RedisKeys keys = new RedisKeys(PREFIX, RedisKeys.Layout.SPREAD);

	private TestRedisCluster cluster;

	private Instance a;

	private Instance b;

	@BeforeAll
	void start() {
		this.cluster = TestRedisCluster.start();
		this.a = Instance.start(this.cluster.springProperties(), PREFIX, "a", COMMAND_TIMEOUT);
		this.b = Instance.start(this.cluster.springProperties(), PREFIX, "b", COMMAND_TIMEOUT);
	}

	@AfterAll
	void stop() {
		for (Instance instance : new Instance[] { this.a, this.b }) {
			if (instance != null) {
				instance.close();
			}
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void spreadsTheKeysOfUsersAndRoomsOverEveryMaster() {
		int users = 300;
		int rooms = 60;
		List<WsClient> clients = new ArrayList<>();
		try {
			for (int i = 0; i < users; i++) {
				Instance instance = (i % 2 == 0) ? this.a : this.b;
				clients.add(instance.connect("/ws/chat?user=spread" + i + "&room=hall" + (i % rooms)));
			}
			clients.forEach(WsClient::nextJson);
			Map<Node, Integer> userKeys = new LinkedHashMap<>();
			Map<Node, Integer> roomKeys = new LinkedHashMap<>();
			for (Node master : this.cluster.masters()) {
				userKeys.put(master, keys(master, "{" + PREFIX + ":u:spread*}").size());
				roomKeys.put(master, keys(master, "{" + PREFIX + ":r:hall*}").size());
			}
			System.out.println("User keys per master " + userKeys.values() + ", room keys " + roomKeys.values());
			assertThat(userKeys).hasSize(3);
			assertThat(userKeys.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(users);
			assertThat(roomKeys.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(rooms);
			// A third each, give or take what hashing 300 and 60 names gives.
			assertThat(userKeys.values()).allMatch((count) -> count >= users * 15 / 100);
			assertThat(roomKeys.values()).allMatch((count) -> count >= rooms * 15 / 100);
			assertThat(this.a.switchboard().onlineUsers().collectList().block(WsClient.TIMEOUT)).hasSize(users);
		}
		finally {
			clients.forEach(WsClient::close);
		}
		Await.until(() -> this.cluster.masters()
			.stream()
			.allMatch((master) -> keys(master, "{" + PREFIX + ":u:spread*").isEmpty()
					&& keys(master, "{" + PREFIX + ":r:hall*").isEmpty()));
	}

	@Test
	void publishesASendToAnotherInstanceOnTheOneShardThatOwnsItsChannel() {
		try (WsClient bea = this.b.connect("/ws/chat?user=bea"); WsClient greeted = this.b.connect("/ws/greeting")) {
			bea.nextJson();
			greeted.next();
			Node owner = this.cluster.masterOf(this.keys.instanceChannel("b"));
			this.cluster.nodes().forEach(Node::resetStats);
			assertThat(this.a.switchboard().toUser("bea").send("one shard").block(WsClient.TIMEOUT))
				.isEqualTo(new SendResult(0, 1));
			assertThat(bea.nextText()).isEqualTo("one shard");
			assertPublishedOnlyOn(owner);
			Node busOwner = this.cluster.masterOf(this.keys.busChannel());
			this.cluster.nodes().forEach(Node::resetStats);
			SendResult broadcast = this.a.switchboard().broadcast("greeting", "everyone").block(WsClient.TIMEOUT);
			assertThat(broadcast.reached()).isZero();
			assertThat(broadcast.instances()).isEqualTo(1);
			assertThat(greeted.nextText()).isEqualTo("everyone");
			assertPublishedOnlyOn(busOwner);
		}
	}

	@Test
	void announcesAUserOnceWhenDevicesConnectAndDisconnectAtTheSameTimeOnBothInstances() {
		List<CompletableFuture<WsClient>> connecting = new ArrayList<>();
		for (Instance instance : List.of(this.a, this.b, this.a, this.b)) {
			connecting.add(CompletableFuture.supplyAsync(() -> instance.connect("/ws/chat?user=jay")));
		}
		List<WsClient> devices = connecting.stream().map(CompletableFuture::join).toList();
		devices.forEach(WsClient::nextJson);
		devices.stream()
			.map((device) -> CompletableFuture.runAsync(device::close))
			.toList()
			.forEach(CompletableFuture::join);
		Await.until(() -> count(UserOnlineEvent.class, "jay") >= 1 && count(UserOfflineEvent.class, "jay") >= 1);
		// Each instance publishes its events in order: a duplicate would precede this
		// barrier's.
		for (Instance instance : List.of(this.a, this.b)) {
			String barrier = "barrier-" + instance.id();
			instance.connect("/ws/chat?user=" + barrier).close();
			instance.bean(EventLog.class).presenceOf(barrier, 2);
		}
		assertThat(count(UserOnlineEvent.class, "jay")).isEqualTo(1);
		assertThat(count(UserOfflineEvent.class, "jay")).isEqualTo(1);
	}

	@Test
	void purgesAKilledInstanceFromEveryMaster() {
		List<WsClient> clients = new ArrayList<>();
		Map<String, String> properties = Instance.properties(this.cluster.springProperties(), PREFIX, "doomed");
		properties.put("switchboard.redis.command-timeout", "900ms");
		try (AppInstance doomed = AppInstance.start(ClusterTestApplication.class, properties)) {
			Await.until(() -> !"(nil)".equals(command("ZSCORE", this.keys.instances(), "doomed")));
			for (int i = 0; i < 12; i++) {
				clients.add(WsClient.connect(doomed.wsUri("/ws/chat?user=ghost" + i + "&room=crypt" + (i % 4))));
			}
			clients.add(WsClient.connect(doomed.wsUri("/ws/chat?user=mover&room=crypt0")));
			clients.forEach(WsClient::nextJson);
			try (WsClient moved = this.a.connect("/ws/chat?user=mover&room=crypt0")) {
				String movedId = moved.nextJson().get("connectionId").asString();
				assertThat(keysOf("doomed")).isNotEmpty();
				doomed.kill();
				// Either survivor may purge it, and announces its users offline.
				for (int i = 0; i < 12; i++) {
					String user = "ghost" + i;
					Await.until(() -> count(UserOfflineEvent.class, user) >= 1);
				}
				Await.until(() -> keysOf("doomed").isEmpty());
				assertThat(command("ZSCORE", this.keys.instances(), "doomed")).isEqualTo("(nil)");
				assertThat(command("ZSCORE", this.keys.purging(), "doomed")).isEqualTo("(nil)");
				for (int i = 0; i < 12; i++) {
					assertThat(command("EXISTS", this.keys.userConnections("ghost" + i))).isEqualTo("0");
					assertThat(command("EXISTS", this.keys.userInstances("ghost" + i))).isEqualTo("0");
				}
				for (int room = 1; room < 4; room++) {
					assertThat(command("EXISTS", this.keys.roomMembers("crypt" + room))).isEqualTo("0");
					assertThat(command("EXISTS", this.keys.roomInstances("crypt" + room))).isEqualTo("0");
					assertThat(this.b.switchboard().membersOf("crypt" + room).collectList().block(WsClient.TIMEOUT))
						.isEmpty();
				}
				assertThat(command("HLEN", this.keys.userConnections("mover"))).isEqualTo("1");
				assertThat(this.b.switchboard()
					.membersOf("crypt0")
					.map(ConnectionInfo::id)
					.collectList()
					.block(WsClient.TIMEOUT)).containsExactly(movedId);
				assertThat(this.b.switchboard().isOnline("ghost0").block(WsClient.TIMEOUT)).isFalse();
				assertThat(this.b.switchboard().isOnline("mover").block(WsClient.TIMEOUT)).isTrue();
				assertThat(count(UserOfflineEvent.class, "mover")).isZero();
				for (int i = 0; i < 12; i++) {
					assertThat(count(UserOfflineEvent.class, "ghost" + i)).isEqualTo(1);
				}
			}
		}
		finally {
			clients.forEach(WsClient::close);
		}
	}

	private void assertPublishedOnlyOn(Node owner) {
		for (Node node : this.cluster.nodes()) {
			assertThat(node.commandCalls("publish")).as("PUBLISH on %s", node).isZero();
			assertThat(node.commandCalls("spublish")).as("SPUBLISH on %s", node).isEqualTo(node.equals(owner) ? 1 : 0);
		}
	}

	/**
	 * Every key of an instance on every master: its index, the connections it is closing,
	 * its sockets, its alive key and its connections' room sets.
	 */
	private List<String> keysOf(String instance) {
		List<String> found = new ArrayList<>();
		for (Node master : this.cluster.masters()) {
			found.addAll(keys(master, "{" + PREFIX + ":i:" + instance + "}*"));
		}
		return found;
	}

	private String command(String... args) {
		return this.cluster.masterOf(args[1]).command(args);
	}

	private static List<String> keys(Node node, String pattern) {
		String reply = node.command("KEYS", pattern);
		if (reply.length() <= 2) {
			return List.of();
		}
		return List.of(reply.substring(1, reply.length() - 1).split(", "));
	}

	private <T> int count(Class<T> type, String user) {
		int count = 0;
		for (Instance instance : List.of(this.a, this.b)) {
			count += instance.bean(EventLog.class)
				.events(type,
						(event) -> user.equals((event instanceof UserOnlineEvent online) ? online.user()
								: ((UserOfflineEvent) event).user()))
				.size();
		}
		return count;
	}

}
