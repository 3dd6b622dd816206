package dev.switchboard.registry.redis;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.CloseReason;
import dev.switchboard.ConnectionInfo;
import dev.switchboard.SendResult;
import dev.switchboard.UserOfflineEvent;
import dev.switchboard.UserOnlineEvent;
import dev.switchboard.fixtures.EventLog;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three instances sharing one Redis: every kind of send reaches connections on the other
 * instances exactly once, in order.
 */
class MultiInstanceTests {

	private static Instance a;

	private static Instance b;

	private static Instance c;

	@BeforeAll
	static void start() {
		TestRedis redis = TestRedis.shared();
		a = Instance.start(redis, "multi", "a");
		b = Instance.start(redis, "multi", "b");
		c = Instance.start(redis, "multi", "c");
	}

	@AfterAll
	static void stop() {
		for (Instance instance : new Instance[] { a, b, c }) {
			if (instance != null) {
				instance.close();
			}
		}
	}

	private static String hello(WsClient client) {
		return client.nextJson().get("connectionId").asString();
	}

	@Test
	void sendsToAConnectionOnAnotherInstance() {
		try (WsClient client = b.connect("/ws/chat")) {
			String id = hello(client);
			assertThat(a.switchboard().toConnection(id).send("direct").block()).isEqualTo(new SendResult(0, 1));
			assertThat(client.nextText()).isEqualTo("direct");
			assertThat(a.switchboard().toConnection("b.unknown").send("x").block().notConnected()).isTrue();
			assertThat(a.switchboard().toConnection("nowhere.x").send("x").block().notConnected()).isTrue();
		}
	}

	@Test
	void keepsTheOrderOfAFastSendersMessagesOnAnotherInstance() {
		try (WsClient member = b.connect("/ws/chat?room=fast-sender"); WsClient sender = a.connect("/ws/ordered")) {
			hello(member);
			int count = 90;
			for (int n = 0; n < count; n++) {
				sender.send("{\"type\":\"relay\",\"room\":\"fast-sender\",\"n\":" + n + "}");
			}
			List<String> expected = IntStream.range(0, count).mapToObj((n) -> "relay:" + n).toList();
			assertThat(member.next(count).stream().map(WsClient.Frame::asText)).containsExactlyElementsOf(expected);
		}
	}

	@Test
	void sendsToEveryDeviceOfAUserOnEveryInstanceExactlyOnce() {
		try (WsClient onA = a.connect("/ws/chat?user=ann");
				WsClient onB = b.connect("/ws/chat?user=ann");
				WsClient alsoOnB = b.connect("/ws/chat?user=ann")) {
			hello(onA);
			hello(onB);
			hello(alsoOnB);
			assertThat(c.switchboard().toUser("ann").send("one").block()).isEqualTo(new SendResult(0, 2));
			assertThat(a.switchboard().toUser("ann").send("two").block()).isEqualTo(new SendResult(1, 1));
			// Two senders: each message arrives once on every device, in no particular
			// order.
			for (WsClient device : List.of(onA, onB, alsoOnB)) {
				assertThat(device.next(2)).extracting(WsClient.Frame::asText).containsExactlyInAnyOrder("one", "two");
			}
			assertThat(c.switchboard().toUser("ann").send("three").block()).isEqualTo(new SendResult(0, 2));
			for (WsClient device : List.of(onA, onB, alsoOnB)) {
				assertThat(device.nextText()).isEqualTo("three");
			}
		}
	}

	@Test
	void sendsToAListOfUsersOnSeveralInstances() {
		try (WsClient bob = a.connect("/ws/chat?user=bob"); WsClient cid = b.connect("/ws/chat?user=cid")) {
			hello(bob);
			hello(cid);
			assertThat(c.switchboard().toUsers(List.of("bob", "cid", "nobody")).send("both").block())
				.isEqualTo(new SendResult(0, 2));
			assertThat(bob.nextText()).isEqualTo("both");
			assertThat(cid.nextText()).isEqualTo("both");
		}
	}

	@Test
	void sendsOnceToALongListOfUsersWhoseRecipientsShareAnInstance() {
		List<String> users = new ArrayList<>();
		for (int i = 0; i < 2500; i++) {
			users.add("crowd" + i);
		}
		try (WsClient first = b.connect("/ws/chat?user=crowd0"); WsClient last = b.connect("/ws/chat?user=crowd2499")) {
			hello(first);
			hello(last);
			assertThat(c.switchboard().toUsers(users).send("once").block()).isEqualTo(new SendResult(0, 1));
			assertThat(c.switchboard().toUsers(List.of("crowd0", "crowd2499")).send("then").block())
				.isEqualTo(new SendResult(0, 1));
			assertThat(first.next(2)).extracting(WsClient.Frame::asText).containsExactly("once", "then");
			assertThat(last.next(2)).extracting(WsClient.Frame::asText).containsExactly("once", "then");
		}
	}

	@Test
	void sendsToARoomOnEveryInstanceExceptTheSender() {
		try (WsClient dan = a.connect("/ws/chat?user=dan&room=dock");
				WsClient eve = b.connect("/ws/chat?user=eve&room=dock");
				WsClient fay = c.connect("/ws/chat?user=fay&room=dock")) {
			hello(dan);
			hello(eve);
			hello(fay);
			dan.send("{\"type\":\"say\",\"room\":\"dock\",\"text\":\"ahoy\"}");
			String said = "{\"type\":\"said\",\"from\":\"dan\",\"text\":\"ahoy\"}";
			assertThat(eve.nextJson().toString()).isEqualTo(said);
			assertThat(fay.nextJson().toString()).isEqualTo(said);
			assertThat(a.switchboard().toRoom("dock").send("all").block()).isEqualTo(new SendResult(1, 2));
			assertThat(dan.nextText()).isEqualTo("all");
			assertThat(eve.nextText()).isEqualTo("all");
			assertThat(fay.nextText()).isEqualTo("all");
		}
	}

	@Test
	void joinsAConnectionOfAnotherInstanceToARoom() {
		try (WsClient client = b.connect("/ws/chat")) {
			String id = hello(client);
			assertThat(a.switchboard().join(id, "attic").block()).isEqualTo(new SendResult(0, 1));
			Await.until(() -> c.switchboard()
				.membersOf("attic")
				.map(ConnectionInfo::id)
				.collectList()
				.block()
				.contains(id));
			assertThat(c.switchboard().toRoom("attic").send("upstairs").block()).isEqualTo(new SendResult(0, 1));
			assertThat(client.nextText()).isEqualTo("upstairs");
			a.switchboard().leave(id, "attic").block();
			Await.until(() -> c.switchboard().membersOf("attic").collectList().block().isEmpty());
		}
	}

	@Test
	void broadcastsToASocketOnEveryInstance() {
		try (WsClient onA = a.connect("/ws/greeting"); WsClient onC = c.connect("/ws/greeting")) {
			onA.next();
			onC.next();
			SendResult result = b.switchboard().broadcast("greeting", "everyone").block();
			assertThat(result.reached()).isZero();
			assertThat(result.instances()).isEqualTo(2);
			assertThat(onA.nextText()).isEqualTo("everyone");
			assertThat(onC.nextText()).isEqualTo("everyone");
		}
	}

	@Test
	void closesEveryConnectionOfAUserOnEveryInstance() {
		try (WsClient onA = a.connect("/ws/chat?user=gus"); WsClient onB = b.connect("/ws/chat?user=gus")) {
			hello(onA);
			hello(onB);
			CloseStatus revoked = CloseStatus.POLICY_VIOLATION.withReason("token revoked");
			assertThat(c.switchboard()
				.toUser("gus")
				.close(CloseReason.POLICY_VIOLATION.withReason("token revoked"))
				.block()).isEqualTo(new SendResult(0, 2));
			assertThat(onA.awaitClose()).isEqualTo(revoked);
			assertThat(onB.awaitClose()).isEqualTo(revoked);
		}
	}

	@Test
	void listsConnectionsRoomMembersAndOnlineUsersOfEveryInstance() {
		try (WsClient onA = a.connect("/ws/chat?user=hal&room=hall");
				WsClient onB = b.connect("/ws/chat?user=hal&room=hall")) {
			String first = hello(onA);
			String second = hello(onB);
			List<ConnectionInfo> connections = c.switchboard().connectionsOf("hal").collectList().block();
			assertThat(connections).extracting(ConnectionInfo::id).containsExactlyInAnyOrder(first, second);
			assertThat(connections).extracting(ConnectionInfo::instance).containsExactlyInAnyOrder("a", "b");
			assertThat(connections).extracting(ConnectionInfo::socket).containsOnly("chat");
			assertThat(c.switchboard().membersOf("hall").map(ConnectionInfo::user).collectList().block())
				.containsExactly("hal", "hal");
			assertThat(c.switchboard().isOnline("hal").block()).isTrue();
			assertThat(c.switchboard().onlineUsers().collectList().block()).contains("hal");
		}
		Await.until(() -> !c.switchboard().isOnline("hal").block());
	}

	@Test
	void keepsTheOrderOfOneSendersMessagesAcrossInstances() {
		try (WsClient user = b.connect("/ws/chat?user=ivy&room=line");
				WsClient member = c.connect("/ws/chat?room=line")) {
			hello(user);
			hello(member);
			for (int n = 0; n < 1000; n++) {
				a.switchboard().toUser("ivy").send("u" + n).subscribe();
				a.switchboard().toRoom("line").send("r" + n).subscribe();
			}
			// The user is in the room too: its frames mix both sequences, each in order.
			List<String> toUser = user.next(2000)
				.stream()
				.map(WsClient.Frame::asText)
				.filter((text) -> text.startsWith("u"))
				.toList();
			List<String> toMember = member.next(1000).stream().map(WsClient.Frame::asText).toList();
			assertThat(toUser).isEqualTo(IntStream.range(0, 1000).mapToObj((n) -> "u" + n).toList());
			assertThat(toMember).isEqualTo(IntStream.range(0, 1000).mapToObj((n) -> "r" + n).toList());
		}
	}

	@Test
	void announcesAUserOnceWhenDevicesConnectAndDisconnectAtTheSameTimeOnSeveralInstances() {
		List<CompletableFuture<WsClient>> connecting = new ArrayList<>();
		for (Instance instance : List.of(a, b, c, a, b, c, a, b, c)) {
			connecting.add(CompletableFuture.supplyAsync(() -> instance.connect("/ws/chat?user=jay")));
		}
		List<WsClient> devices = connecting.stream().map(CompletableFuture::join).toList();
		devices.forEach(MultiInstanceTests::hello);
		List<CompletableFuture<Void>> closing = devices.stream()
			.map((device) -> CompletableFuture.runAsync(device::close))
			.toList();
		closing.forEach(CompletableFuture::join);
		awaitPresence("jay", 1, 1);
		// Each instance publishes its events in order: a duplicate would precede this
		// barrier's.
		for (Instance instance : List.of(a, b, c)) {
			String barrier = "barrier-" + instance.id();
			instance.connect("/ws/chat?user=" + barrier).close();
			instance.bean(EventLog.class).presenceOf(barrier, 2);
		}
		assertThat(count(UserOnlineEvent.class, "jay")).isEqualTo(1);
		assertThat(count(UserOfflineEvent.class, "jay")).isEqualTo(1);
	}

	@Test
	void leavesOutAConnectionOfAnotherInstanceThatStillCountsInInstances() {
		try (WsClient left = b.connect("/ws/chat?room=veranda"); WsClient kept = c.connect("/ws/chat?room=veranda")) {
			String leftId = hello(left);
			hello(kept);
			assertThat(a.switchboard().toRoom("veranda").except(leftId).send("not for b").block())
				.isEqualTo(new SendResult(0, 2));
			assertThat(kept.nextText()).isEqualTo("not for b");
			// One sender's messages arrive in order: had b delivered the first, it would
			// come before this one.
			assertThat(a.switchboard().toRoom("veranda").send("for both").block()).isEqualTo(new SendResult(0, 2));
			assertThat(left.nextText()).isEqualTo("for both");
		}
	}

	@Test
	void deliversOnOtherInstancesTheBytesEncodedOnceBySender() {
		try (WsClient onB = b.connect("/ws/chat?room=bytes"); WsClient onC = c.connect("/ws/chat?room=bytes")) {
			hello(onB);
			hello(onC);
			Priced payload = new Priced();
			assertThat(a.switchboard().toRoom("bytes").send(payload).block()).isEqualTo(new SendResult(0, 2));
			String text = onB.nextText();
			assertThat(onC.nextText()).isEqualTo(text);
			// Decoded and written again on the way, 1.10 would be the double 1.1.
			assertThat(text).contains("\"price\":1.10").contains("\"count\":1");
			assertThat(payload.serializations.get()).isEqualTo(1);
		}
	}

	@Test
	void keepsApplicationsWithAnotherKeyPrefixApart() {
		try (Instance other = Instance.start(TestRedis.shared(), "multi-other", "x");
				WsClient kim = a.connect("/ws/chat?user=kim&room=same-name")) {
			hello(kim);
			assertThat(other.switchboard().toUser("kim").send("other app").block()).isEqualTo(SendResult.NOT_CONNECTED);
			assertThat(other.switchboard().toRoom("same-name").send("other app").block())
				.isEqualTo(SendResult.NOT_CONNECTED);
			assertThat(other.switchboard().broadcast("chat", "other app").block()).isEqualTo(SendResult.NOT_CONNECTED);
			assertThat(other.switchboard().isOnline("kim").block()).isFalse();
			assertThat(b.switchboard().toUser("kim").send("this app").block()).isEqualTo(new SendResult(0, 1));
			assertThat(kim.nextText()).isEqualTo("this app");
		}
	}

	@Test
	void keepsAnonymousConnectionsOutOfTheUserKeys() {
		try (WsClient anonymous = b.connect("/ws/chat?room=nameless")) {
			String id = hello(anonymous);
			TestRedis redis = TestRedis.shared();
			assertThat(Topology.command("HEXISTS", Topology.keys("multi").instanceIndex("b"), id)).isEqualTo("1");
			assertThat(Topology.command("HEXISTS", Topology.keys("multi").roomMembers("nameless"), id)).isEqualTo("1");
			RedisKeys keys = Topology.keys("multi");
			String userKeys = keys.userConnections("");
			assertThat(Topology.keysOf("multi")).filteredOn((key) -> key.startsWith(userKeys))
				.allMatch((key) -> !Topology.command("TYPE", key).equals("hash")
						|| Topology.command("HEXISTS", key, id).equals("0"));
		}
	}

	/**
	 * Admission asks Redis (the per-user limit), so the upgrade resumes on a Redis
	 * thread; a close sent as soon as the 101 arrives must still be answered, however the
	 * threads interleave.
	 */
	@Test
	void answersClientsThatCloseAsSoonAsTheyAreConnected() {
		for (int i = 0; i < 200; i++) {
			WsClient hasty = a.connect("/ws/chat?user=hasty" + i);
			hasty.close(1000);
			assertThat(hasty.awaitClose().getCode()).as("close answered on connection %d", i).isEqualTo(1000);
		}
		Await.until(() -> !a.switchboard().isOnline("hasty199").block() && !b.switchboard().isOnline("hasty0").block());
	}

	private static void awaitPresence(String user, int online, int offline) {
		Await.until(
				() -> count(UserOnlineEvent.class, user) >= online && count(UserOfflineEvent.class, user) >= offline);
	}

	private static <T> int count(Class<T> type, String user) {
		int count = 0;
		for (Instance instance : List.of(a, b, c)) {
			count += instance.bean(EventLog.class)
				.events(type,
						(event) -> user.equals((event instanceof UserOnlineEvent online) ? online.user()
								: ((UserOfflineEvent) event).user()))
				.size();
		}
		return count;
	}

	@Test
	void callsHandlersOnTheConnectionsEventLoopAfterRedisAnswered() {
		// @OnConnect runs once the registration in Redis has answered, on a thread of the
		// Redis client: the session takes the handler back to the event loop.
		try (WsClient client = a.connect("/ws/non-blocking?user=threads")) {
			assertThat(client.nextText()).startsWith("hello from ").matches(".*-http-(epoll|nio|kqueue)-\\d+");
			client.send("ping");
			assertThat(client.nextText()).startsWith("ping on ").matches(".*-http-(epoll|nio|kqueue)-\\d+");
		}
	}

	/**
	 * Counts how often it is serialized, with a number that JSON decoding would change.
	 */
	static final class Priced {

		final AtomicInteger serializations = new AtomicInteger();

		@JsonProperty("count")
		int count() {
			return this.serializations.incrementAndGet();
		}

		@JsonProperty("price")
		BigDecimal price() {
			return new BigDecimal("1.10");
		}

	}

}
