package dev.switchboard.registry.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;

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
 * How instances come back after Redis was lost: on the reconnect interval, not on the
 * Redis client's growing backoff; and, when Redis lost its data, without an answer that
 * is not known to be true while the instances register their connections again.
 */
class RedisRecoveryTests {

	private static final Duration RECONNECT_INTERVAL = Duration.ofSeconds(1);

	@Test
	void recoversWithinTheReconnectIntervalAfterALongOutage() {
		try (TestRedis redis = TestRedis.startNew();
				Instance a = Instance.start(redis, redis, "a", "switchboard.redis.reconnect-interval=1s");
				Instance b = Instance.start(redis, redis, "b", "switchboard.redis.reconnect-interval=1s");
				WsClient una = b.connect("/ws/chat?user=una")) {
			una.nextJson();
			redis.stop();
			Await.until(() -> isDown(a) && isDown(b));
			// Long enough for Lettuce's reconnection backoff to grow to several seconds:
			// its next attempt comes about 16 s after the loss.
			Awaitility.await()
				.during(Duration.ofSeconds(10))
				.atMost(Duration.ofSeconds(12))
				.until(() -> isDown(a) && isDown(b));
			redis.start();
			long restarted = System.nanoTime();
			Awaitility.await()
				.atMost(RECONNECT_INTERVAL.plus(Duration.ofSeconds(10)))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> !isDown(a) && !isDown(b));
			Duration recovered = Duration.ofNanos(System.nanoTime() - restarted);
			System.out.println("Both instances reached Redis again " + recovered.toMillis()
					+ " ms after it restarted, after an outage of more than 10 s");
			assertThat(recovered).isLessThan(RECONNECT_INTERVAL.plus(Duration.ofSeconds(3)));
			// Redis restarted empty: sends work once the instances registered again.
			Awaitility.await()
				.atMost(WsClient.TIMEOUT)
				.pollInterval(Duration.ofMillis(50))
				.ignoreException(DeliveryException.class)
				.until(() -> a.switchboard().toUser("una").send("back").block(WsClient.TIMEOUT).instances() == 1);
			assertThat(una.nextText()).isEqualTo("back");
		}
	}

	@Test
	void neverAnswersThatAUserIsOfflineWhileTheRegistryIsRebuiltAfterRedisLostItsData() {
		String[] timeouts = { "switchboard.redis.instance-timeout=6s", "switchboard.redis.command-timeout=1s" };
		try (TestRedis redis = TestRedis.startNew();
				Instance a = Instance.start(redis, redis, "a", timeouts);
				Instance b = Instance.start(redis, redis, "b", timeouts);
				WsClient una = b.connect("/ws/chat?user=una")) {
			una.nextJson();
			assertThat(a.switchboard().isOnline("una").block(WsClient.TIMEOUT)).isTrue();
			redis.flushAll();
			List<String> answers = new ArrayList<>();
			List<String> states = new ArrayList<>();
			Await.until(() -> {
				states.add(a.lease().state().redis());
				answers.add(isOnline(a) + " / " + send(a));
				return answers.contains("online / 1 instance")
						&& answers.stream().anyMatch((answer) -> answer.startsWith("unknown"));
			});
			System.out.println("After Redis lost its data, instance a answered: " + summary(answers));
			assertThat(answers).as("isOnline / a send, for a user online on b")
				.noneMatch((answer) -> answer.contains("offline") || answer.contains("0 instance"));
			// Redis stayed reachable: the registry was rebuilt, Redis never seen as down.
			assertThat(states).contains("resyncing").doesNotContain("down");
			assertThat(una.nextText()).isEqualTo("probe");
		}
	}

	@Test
	void broadcastsDuringTheWaitAfterADataLossAndAnnouncesAUserOfflineOnlyAfterIt() {
		String[] timeouts = { "switchboard.redis.instance-timeout=6s", "switchboard.redis.command-timeout=1s" };
		try (TestRedis redis = TestRedis.startNew();
				Instance a = Instance.start(redis, redis, "a", timeouts);
				Instance b = Instance.start(redis, redis, "b", timeouts);
				WsClient una = b.connect("/ws/chat?user=una")) {
			una.nextJson();
			WsClient ola = a.connect("/ws/chat?user=ola");
			String olaId = ola.nextJson().get("connectionId").asString();
			long lost = System.nanoTime();
			redis.flushAll();
			Await.until(() -> isOnline(a).equals("unknown") && a.lease().state().redis().equals("resyncing"));
			Health health = a.bean("switchboardRegistryHealthIndicator", ReactiveHealthIndicator.class)
				.health()
				.block(WsClient.TIMEOUT);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("redis", "resyncing");
			assertThat(a.switchboard().broadcast("chat", "during the wait").block().instances()).isEqualTo(1);
			assertThat(una.nextText()).isEqualTo("during the wait");
			ola.close();
			EventLog events = a.bean(EventLog.class);
			events.disconnected(olaId);
			assertThat(a.lease().state().redis()).isEqualTo("resyncing");
			assertThat(events.events(UserOfflineEvent.class, (event) -> event.user().equals("ola"))).isEmpty();
			events.await(UserOfflineEvent.class, (event) -> event.user().equals("ola"), 1);
			Duration waited = Duration.ofNanos(System.nanoTime() - lost);
			System.out.println("The offline event came " + waited.toMillis() + " ms after Redis lost its data");
			// A heartbeat interval (2 s) and the command timeout (1 s) from the moment
			// the
			// instance found out, with an allowance for a loaded machine.
			assertThat(waited).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
			assertThat(a.lease().state().redis()).isEqualTo("up");
		}
	}

	@Test
	void announcesAUserOnlineAgainWhoConnectsElsewhereBeforeTheirInstanceRegistersAgain() {
		try (TestRedis redis = TestRedis.startNew();
				Instance a = Instance.start(redis, redis, "a", "switchboard.redis.instance-timeout=6s",
						"switchboard.redis.command-timeout=1s");
				// A heartbeat every 3 seconds: b registers its connections again late.
				Instance b = Instance.start(redis, redis, "b", "switchboard.redis.instance-timeout=9s",
						"switchboard.redis.command-timeout=1s");
				WsClient phone = b.connect("/ws/chat?user=una")) {
			phone.nextJson();
			b.bean(EventLog.class).await(UserOnlineEvent.class, (event) -> event.user().equals("una"), 1);
			String instances = "{p" + redis.port() + "}:instances";
			String renewed = redis.command("ZSCORE", instances, "b");
			Await.until(() -> !renewed.equals(redis.command("ZSCORE", instances, "b")));
			redis.flushAll();
			try (WsClient laptop = a.connect("/ws/chat?user=una")) {
				laptop.nextJson();
				a.bean(EventLog.class).await(UserOnlineEvent.class, (event) -> event.user().equals("una"), 1);
				assertThat(b.lease().state().redis()).as("b has not yet found the loss").isEqualTo("up");
				Await.until(() -> "2".equals(redis.command("HLEN", "{p" + redis.port() + "}:u:una")));
				assertThat(b.bean(EventLog.class).events(UserOnlineEvent.class, (event) -> event.user().equals("una")))
					.as("b registers its connections again without announcing them")
					.hasSize(1);
			}
		}
	}

	@Test
	void registersEveryConnectionThatOpensWhileTheInstanceRegainsItsLease() {
		try (TestRedis redis = TestRedis.startNew();
				Instance a = Instance.start(redis, redis, "a", "switchboard.redis.instance-timeout=30s",
						"switchboard.redis.command-timeout=1s")) {
			redis.flushAll();
			// The first finds no lease and has the instance register again at once; the
			// others open while it does, some after it listed the open connections.
			List<WsClient> clients = new ArrayList<>();
			try {
				for (int i = 0; i < 8; i++) {
					WsClient client = a.connect("/ws/chat?user=u" + i);
					client.nextJson();
					clients.add(client);
				}
				EventLog events = a.bean(EventLog.class);
				for (int i = 0; i < 8; i++) {
					String user = "u" + i;
					events.await(UserOnlineEvent.class, (event) -> event.user().equals(user), 1);
				}
				String index = "{p" + redis.port() + "}:i:a";
				Await.until(() -> "8".equals(redis.command("HLEN", index)));
			}
			finally {
				clients.forEach(WsClient::close);
			}
		}
	}

	private static boolean isDown(Instance instance) {
		return instance.lease().state().redis().equals("down");
	}

	private static String isOnline(Instance instance) {
		try {
			return Boolean.TRUE.equals(instance.switchboard().isOnline("una").block(WsClient.TIMEOUT)) ? "online"
					: "offline";
		}
		catch (RegistryUnavailableException ex) {
			return "unknown";
		}
	}

	private static String send(Instance instance) {
		try {
			SendResult result = instance.switchboard().toUser("una").send("probe").block(WsClient.TIMEOUT);
			return result.instances() + " instance";
		}
		catch (DeliveryException ex) {
			return "failed";
		}
	}

	private static String summary(List<String> answers) {
		List<String> runs = new ArrayList<>();
		String previous = null;
		int count = 0;
		for (String answer : answers) {
			if (answer.equals(previous)) {
				count++;
				continue;
			}
			if (previous != null) {
				runs.add(previous + " x" + count);
			}
			previous = answer;
			count = 1;
		}
		runs.add(previous + " x" + count);
		return String.join(", ", runs);
	}

}
