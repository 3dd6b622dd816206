package dev.switchboard.registry.redis;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.SendResult;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cost model, counted by Redis itself ({@code INFO commandstats}): connect and
 * disconnect are one script run each, one send is one script run with one lookup and one
 * publish whatever the number of recipients, a broadcast is one publish. Script runs are
 * {@code evalsha} calls; the commands a script runs are counted too.
 */
class RedisCostModelTests {

	private static TestRedis redis;

	private static Instance a;

	private static Instance b;

	@BeforeAll
	static void start() {
		redis = TestRedis.startNew();
		// Long leases: no heartbeat runs while a test counts commands.
		String[] properties = { "switchboard.redis.instance-timeout=600s",
				"switchboard.history.streams[0].pattern=room:kept*" };
		a = Instance.start(redis, redis, "a", properties);
		b = Instance.start(redis, redis, "b", properties);
		try (WsClient warmUp = b.connect("/ws/chat?user=warm&room=warm")) {
			warmUp.nextJson();
			a.switchboard().toUser("warm").send("x").block();
			a.switchboard().toRoom("warm").send("x").block();
			a.switchboard().toUsers(List.of("warm", "up")).send("x").block();
		}
		Await.until(() -> !a.switchboard().isOnline("warm").block());
	}

	/**
	 * Connections a previous test closed are deregistered by a script run each, which
	 * must not be counted as the next test's cost.
	 */
	@BeforeEach
	void awaitNoConnections() {
		Await.until(() -> "[]".equals(redis.command("KEYS", "*:i:*")));
	}

	@AfterAll
	static void stop() {
		a.close();
		b.close();
		redis.close();
	}

	@Test
	void connectsAndDisconnectsInOneScriptRunEach() {
		redis.resetStats();
		WsClient client = b.connect("/ws/chat?user=kim");
		client.nextJson();
		assertThat(redis.commandCalls("evalsha")).isEqualTo(1);
		assertThat(redis.commandCalls("eval")).isZero();
		// The per-user limit answers 429 at the handshake after one count of the user's
		// connections.
		assertThat(redis.commandCalls("hlen")).isEqualTo(2);
		// What awaitNoConnections waits on to disappear.
		assertThat(redis.command("KEYS", "*:i:*")).isNotEqualTo("[]");
		redis.resetStats();
		client.close();
		Await.until(() -> redis.commandCalls("evalsha") == 1);
		assertThat(redis.commandCalls("hdel")).isPositive();
	}

	@Test
	void sendsToAUserWithOneLookupAndOnePublish() {
		try (WsClient one = b.connect("/ws/chat?user=lou"); WsClient two = b.connect("/ws/chat?user=lou")) {
			one.nextJson();
			two.nextJson();
			redis.resetStats();
			assertThat(a.switchboard().toUser("lou").send("hi").block()).isEqualTo(new SendResult(0, 1));
			assertSendCost("zrange");
		}
	}

	@Test
	void sendsToARoomWithOneLookupAndOnePublishWhateverItsSize() {
		List<WsClient> members = new ArrayList<>();
		try {
			for (int i = 0; i < 20; i++) {
				WsClient member = ((i % 2 == 0) ? a : b).connect("/ws/chat?room=crowd");
				member.nextJson();
				members.add(member);
			}
			redis.resetStats();
			assertThat(a.switchboard().toRoom("crowd").send("hello crowd").block()).isEqualTo(new SendResult(10, 1));
			assertSendCost("zrange");
		}
		finally {
			members.forEach(WsClient::close);
		}
	}

	@Test
	void sendsToAListOfUsersWithOneLookupAndOnePublish() {
		try (WsClient mae = b.connect("/ws/chat?user=mae"); WsClient ned = b.connect("/ws/chat?user=ned")) {
			mae.nextJson();
			ned.nextJson();
			redis.resetStats();
			assertThat(a.switchboard().toUsers(List.of("mae", "ned", "ora")).send("hi").block())
				.isEqualTo(new SendResult(0, 1));
			assertSendCost("zunion");
		}
	}

	@Test
	void broadcastsWithOnePublishAndNoLookup() {
		redis.resetStats();
		a.switchboard().broadcast("greeting", "all").block();
		assertThat(redis.commandCalls("publish")).isEqualTo(1);
		assertThat(redis.commandCalls("evalsha")).isZero();
	}

	@Test
	void sendsToAConnectionOfAnotherInstanceWithOneHexistsAndToOneOfThisInstanceWithNothing() {
		try (WsClient client = b.connect("/ws/chat")) {
			String id = client.nextJson().get("connectionId").asString();
			redis.resetStats();
			assertThat(a.switchboard().toConnection(id).send("from a").block()).isEqualTo(new SendResult(0, 1));
			assertSendCost("hexists");
			redis.resetStats();
			assertThat(b.switchboard().toConnection(id).send("from b").block()).isEqualTo(new SendResult(1, 0));
			assertThat(redis.commandCalls("evalsha") + redis.commandCalls("publish")).isZero();
		}
	}

	@Test
	void joinsInOneScriptRunHereAndWithOnePublishAndOneRunThereForAnotherInstance() {
		try (WsClient client = b.connect("/ws/chat")) {
			String id = client.nextJson().get("connectionId").asString();
			redis.resetStats();
			assertThat(b.switchboard().join(id, "here").block()).isEqualTo(new SendResult(1, 0));
			assertThat(redis.commandCalls("evalsha")).isEqualTo(1);
			assertThat(redis.commandCalls("publish")).isZero();
			redis.resetStats();
			assertThat(b.switchboard().leave(id, "here").block()).isEqualTo(new SendResult(1, 0));
			assertThat(redis.commandCalls("evalsha")).isEqualTo(1);
			redis.resetStats();
			assertThat(a.switchboard().join(id, "there").block()).isEqualTo(new SendResult(0, 1));
			Await.until(() -> redis.commandCalls("evalsha") == 2);
			assertThat(redis.commandCalls("publish")).isEqualTo(1);
			Await.until(() -> a.switchboard().membersOf("there").hasElements().block());
		}
	}

	@Test
	void answersEachQueryInOneScriptRunWithOneRead() {
		try (WsClient client = b.connect("/ws/chat?user=quin&room=quiet")) {
			client.nextJson();
			assertQueryCost(() -> a.switchboard().isOnline("quin").block(), "sismember");
			assertQueryCost(() -> a.switchboard().connectionsOf("quin").collectList().block(), "hgetall");
			assertQueryCost(() -> a.switchboard().membersOf("quiet").collectList().block(), "hgetall");
			assertQueryCost(() -> a.switchboard().onlineUsers().collectList().block(), "smembers");
		}
	}

	@Test
	void sendsToARoomWithHistoryInTheSameScriptRunThatKeepsIt() {
		try (WsClient plain = b.connect("/ws/chat?room=kept"); WsClient recovering = b.connect("/ws/feed?room=kept")) {
			plain.nextJson();
			recovering.nextJson();
			redis.resetStats();
			assertThat(a.switchboard().toRoom("kept").send("hi").block()).isEqualTo(new SendResult(0, 1));
			assertThat(plain.nextText()).isEqualTo("hi");
			assertThat(recovering.nextJson().get("data").asString()).isEqualTo("hi");
			// One round trip: the lookup, the publish and the history.
			assertThat(redis.commandCalls("evalsha") + redis.commandCalls("eval")).isEqualTo(1);
			assertSendCost("zrange");
			assertThat(redis.commandCalls("xadd")).isEqualTo(1);
			assertThat(redis.commandCalls("xtrim")).isEqualTo(1);
			assertThat(redis.commandCalls("hincrby")).isEqualTo(1);
			assertThat(redis.commandCalls("hget")).isEqualTo(1);
			assertThat(redis.commandCalls("pexpire")).isEqualTo(2);
			assertThat(redis.commandCalls("xrange") + redis.commandCalls("xrevrange")).isZero();
		}
	}

	@Test
	void recoversAStreamWithOneScriptRunThatReadsOnlyWhatWasMissed() {
		a.switchboard().toRoom("kept-read").send("1").block();
		try (WsClient recovering = b.connect(
				"/ws/feed?room=kept-read&switchboard-recover=%7B%22room:kept-read%22:%7B%22epoch%22:%22none%22,%22offset%22:0%7D%7D")) {
			recovering.nextJson();
		}
		String epoch = redis.command("HGET", "{p" + redis.port() + "}:hp:room:kept-read", "e");
		awaitNoConnections();
		for (int i = 2; i <= 5; i++) {
			a.switchboard().toRoom("kept-read").send(Integer.toString(i)).block();
		}
		redis.resetStats();
		String positions = "%7B%22room:kept-read%22:%7B%22epoch%22:%22" + epoch + "%22,%22offset%22:3%7D%7D";
		try (WsClient recovering = b.connect("/ws/feed?room=kept-read&switchboard-recover=" + positions)) {
			assertThat(recovering.nextJson().get("data").asString()).isEqualTo("4");
			assertThat(recovering.nextJson().get("data").asString()).isEqualTo("5");
			assertThat(recovering.nextJson().get("recovered").asBoolean()).isTrue();
			// The registration, the join of @OnConnect, then the read.
			assertThat(redis.commandCalls("evalsha") + redis.commandCalls("eval")).isEqualTo(3);
			assertThat(redis.commandCalls("xrevrange")).isEqualTo(1);
			assertThat(redis.commandCalls("xrange")).isZero();
		}
	}

	private static void assertQueryCost(Runnable query, String read) {
		redis.resetStats();
		query.run();
		assertThat(redis.commandCalls("evalsha")).isEqualTo(1);
		assertThat(redis.commandCalls(read)).isEqualTo(1);
		// The epoch check, in the same script.
		assertThat(redis.commandCalls("get")).isEqualTo(1);
	}

	private static void assertSendCost(String lookup) {
		assertThat(redis.commandCalls("evalsha")).isEqualTo(1);
		assertThat(redis.commandCalls(lookup)).isEqualTo(1);
		assertThat(redis.commandCalls("publish")).isEqualTo(1);
		// The epoch check, in the same script.
		assertThat(redis.commandCalls("get")).isEqualTo(1);
		assertThat(redis.commandCalls("hgetall") + redis.commandCalls("hvals") + redis.commandCalls("smembers"))
			.isZero();
	}

}
