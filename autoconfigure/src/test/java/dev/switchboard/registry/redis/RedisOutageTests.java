package dev.switchboard.registry.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import reactor.test.StepVerifier;

import dev.switchboard.ConnectionInfo;
import dev.switchboard.DeliveryException;
import dev.switchboard.RegistryUnavailableException;
import dev.switchboard.SendResult;
import dev.switchboard.UserOfflineEvent;
import dev.switchboard.UserOnlineEvent;
import dev.switchboard.fixtures.EventLog;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis stops and restarts on the same port, losing its data: local delivery goes on,
 * remote sends fail fast and are never reported delivered, health reports the outage, and
 * once Redis is back the instances subscribe and register again, so that the first
 * message published once they have is delivered.
 */
class RedisOutageTests {

	/**
	 * Far longer than a send may take to fail while Redis is down, so that one failing
	 * within half of it did not wait for it. The instance timeout must be longer than
	 * three of it.
	 */
	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	private static final String[] TIMEOUTS = { "switchboard.redis.command-timeout=" + COMMAND_TIMEOUT.toMillis() + "ms",
			"switchboard.redis.instance-timeout=7s" };

	/**
	 * Redis restarts empty: the instances register again, and sends wait a heartbeat
	 * interval and a command timeout for the others to have too.
	 */
	private static final Duration RECOVERY = Duration.ofSeconds(20);

	@Test
	void keepsLocalDeliveryFailsRemoteSendsFastAndRecoversAfterARestart() {
		try (TestRedis redis = TestRedis.startNew();
				Instance a = Instance.start(redis, "outage", "a", TIMEOUTS);
				Instance b = Instance.start(redis, "outage", "b", TIMEOUTS);
				WsClient una = b.connect("/ws/chat?user=una&room=ops")) {
			una.nextJson();
			redis.stop();
			StepVerifier.create(a.switchboard().toUser("una").send("in flight"))
				.expectError(DeliveryException.class)
				.verify(WsClient.TIMEOUT);
			Await.until(() -> !a.lease().state().reachable() && !b.lease().state().reachable());
			assertThat(health(a)).isEqualTo(Status.DOWN);
			long started = System.nanoTime();
			StepVerifier.create(a.switchboard().toUser("una").send("lost"))
				.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(DeliveryException.class)
					.hasCauseInstanceOf(RegistryUnavailableException.class))
				.verify(WsClient.TIMEOUT);
			Duration failedAfter = Duration.ofNanos(System.nanoTime() - started);
			System.out.println("A remote send failed " + failedAfter.toMillis() + " ms after it was made, Redis down");
			assertThat(failedAfter).isLessThan(COMMAND_TIMEOUT.dividedBy(2));
			StepVerifier.create(b.switchboard().toUser("una").send("local"))
				.expectErrorSatisfies(
						(ex) -> assertThat(((DeliveryException) ex).getPartialResult()).isEqualTo(new SendResult(1, 0)))
				.verify(WsClient.TIMEOUT);
			assertThat(una.nextText()).isEqualTo("local");
			try (WsClient vic = a.connect("/ws/chat?user=vic")) {
				vic.nextJson();
				redis.start();
				Awaitility.await()
					.atMost(RECOVERY)
					.until(() -> a.lease().state().reachable() && b.lease().state().reachable());
				assertThat(a.switchboard().toUser("una").send("first after the restart").block())
					.isEqualTo(new SendResult(0, 1));
				assertThat(una.nextText()).isEqualTo("first after the restart");
				assertThat(b.switchboard().isOnline("vic").block()).isTrue();
				assertThat(a.switchboard().toRoom("ops").send("rooms are back").block())
					.isEqualTo(new SendResult(0, 1));
				assertThat(una.nextText()).isEqualTo("rooms are back");
				assertThat(health(a)).isEqualTo(Status.UP);
			}
			EventLog events = b.bean(EventLog.class);
			assertThat(events.events(UserOnlineEvent.class, (event) -> event.user().equals("una"))).hasSize(1);
			assertThat(events.events(UserOfflineEvent.class, (event) -> event.user().equals("una"))).isEmpty();
		}
	}

	@Test
	void holdsWhatThisInstanceDoesDuringAnOutageAndRecordsItOnceRedisIsBack() {
		try (TestRedis redis = TestRedis.startNew();
				Instance a = Instance.start(redis, "held", "a", TIMEOUTS);
				Instance b = Instance.start(redis, "held", "b", TIMEOUTS);
				WsClient una = b.connect("/ws/chat?user=una")) {
			String unaId = una.nextJson().get("connectionId").asString();
			redis.stop();
			Await.until(() -> !a.lease().state().reachable() && !b.lease().state().reachable());
			assertThat(details(b)).containsEntry("registry", "redis")
				.containsEntry("instance", "b")
				.containsEntry("redis", "down")
				.containsKeys("leaseHeld", "since", "error");
			assertThat(b.switchboard().toConnection(unaId).send("local").block()).isEqualTo(new SendResult(1, 0));
			assertThat(una.nextText()).isEqualTo("local");
			StepVerifier.create(b.switchboard().join(unaId, "held"))
				.expectErrorSatisfies(
						(ex) -> assertThat(((DeliveryException) ex).getPartialResult()).isEqualTo(new SendResult(1, 0)))
				.verify(WsClient.TIMEOUT);
			StepVerifier.create(b.switchboard().toRoom("held").send("held here"))
				.expectErrorSatisfies(
						(ex) -> assertThat(((DeliveryException) ex).getPartialResult()).isEqualTo(new SendResult(1, 0)))
				.verify(WsClient.TIMEOUT);
			assertThat(una.nextText()).isEqualTo("held here");
			StepVerifier.create(a.switchboard().join(unaId, "remote"))
				.expectError(DeliveryException.class)
				.verify(WsClient.TIMEOUT);
			StepVerifier.create(b.switchboard().isOnline("una"))
				.expectError(RegistryUnavailableException.class)
				.verify(WsClient.TIMEOUT);
			StepVerifier.create(b.switchboard().connectionsOf("una"))
				.expectError(RegistryUnavailableException.class)
				.verify(WsClient.TIMEOUT);
			StepVerifier.create(b.switchboard().membersOf("held"))
				.expectError(RegistryUnavailableException.class)
				.verify(WsClient.TIMEOUT);
			StepVerifier.create(b.switchboard().onlineUsers())
				.expectError(RegistryUnavailableException.class)
				.verify(WsClient.TIMEOUT);
			EventLog events = a.bean(EventLog.class);
			String wesId;
			try (WsClient wes = a.connect("/ws/chat?user=wes")) {
				wesId = wes.nextJson().get("connectionId").asString();
			}
			events.disconnected(wesId);
			try (WsClient vic = a.connect("/ws/chat?user=vic")) {
				vic.nextJson();
				redis.start();
				Awaitility.await()
					.atMost(RECOVERY)
					.until(() -> a.lease().state().reachable() && b.lease().state().reachable());
				assertThat(events.presenceOf("vic", 1)).containsExactly("online");
				Awaitility.await()
					.atMost(RECOVERY)
					.ignoreExceptions()
					.until(() -> a.switchboard().membersOf("held").map(ConnectionInfo::id).collectList().block(),
							(members) -> members.equals(List.of(unaId)));
				assertThat(a.switchboard().membersOf("remote").collectList().block()).isEmpty();
				assertThat(details(b)).containsEntry("redis", "up")
					.containsEntry("leaseHeld", true)
					.containsEntry("instances", 2L)
					.doesNotContainKey("error");
			}
			assertThat(events.events(UserOnlineEvent.class, (event) -> event.user().equals("wes"))).isEmpty();
			assertThat(events.events(UserOfflineEvent.class, (event) -> event.user().equals("wes"))).isEmpty();
		}
	}

	private static Map<String, Object> details(Instance instance) {
		return instance.bean("switchboardRegistryHealthIndicator", ReactiveHealthIndicator.class)
			.health()
			.block(WsClient.TIMEOUT)
			.getDetails();
	}

	@Test
	void startsWhileRedisIsDownReportsItDownAndConnectsOnceRedisIsReachable() {
		try (TestRedis redis = TestRedis.startNew()) {
			redis.stop();
			try (Instance early = Instance.start(redis, redis, "early")) {
				assertThat(health(early)).isEqualTo(Status.DOWN);
				redis.start();
				Awaitility.await().atMost(RECOVERY).until(() -> health(early) == Status.UP);
				try (WsClient una = early.connect("/ws/chat?user=una")) {
					una.nextJson();
					assertThat(early.switchboard().toUser("una").send("connected late").block())
						.isEqualTo(new SendResult(1, 0));
					assertThat(una.nextText()).isEqualTo("connected late");
				}
			}
		}
	}

	private static Status health(Instance instance) {
		return instance.bean("switchboardRegistryHealthIndicator", ReactiveHealthIndicator.class)
			.health()
			.block(WsClient.TIMEOUT)
			.getStatus();
	}

}
