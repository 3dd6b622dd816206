package dev.switchboard.registry.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.switchboard.test.Await;
import dev.switchboard.test.Http;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code reason} detail of the registry's health indicator, over HTTP, for each way
 * that docs/operations.md (Health) lists; {@code redis-unreachable} is in
 * {@link ClusterEndpointTests}.
 */
class HealthReasonTests {

	@Test
	void reportsSubscriptionsLostWhileRedisAnswersButRefusesTheSubscriptionAndRecovers() {
		try (TestRedis redis = TestRedis.startNew()) {
			// Redis answers commands, but the default user may use no channel.
			redis.command("ACL", "SETUSER", "default", "resetchannels");
			try (Instance deaf = Instance.start(redis, redis, "deaf")) {
				// A first subscription may time out instead of being refused: the
				// reason is then redis-unreachable until the next attempt.
				Awaitility.await()
					.atMost(Duration.ofSeconds(20))
					.until(() -> details(ClusterEndpointTests.health(deaf)).path("reason").asString(""),
							"subscriptions-lost"::equals);
				Http.Response health = Http.get(deaf.port(), "/actuator/health/switchboard");
				assertThat(health.status()).isEqualTo(503);
				assertThat(details(health.json()).get("reason").asString()).isEqualTo("subscriptions-lost");
				assertThat(details(health.json()).get("redis").asString()).isEqualTo("down");
				redis.command("ACL", "SETUSER", "default", "allchannels");
				Awaitility.await()
					.atMost(Duration.ofSeconds(20))
					.until(() -> Http.get(deaf.port(), "/actuator/health/switchboard").status() == 200);
				assertThat(details(ClusterEndpointTests.health(deaf)).has("reason")).isFalse();
			}
		}
	}

	@Test
	void reportsLeaseNotRenewedWhileAnotherInstanceHoldsAClaimToPurgeIt() {
		TestRedis redis = TestRedis.shared();
		try (Instance claimed = Instance.start(redis, "reason-claimed", "claimed")) {
			redis.command("EVAL", PausedInstanceTests.CLAIM, "2", "{reason-claimed}:instances",
					"{reason-claimed}:purging", "claimed", "3000");
			Await.until(() -> !claimed.lease().state().leaseHeld());
			Http.Response health = Http.get(claimed.port(), "/actuator/health/switchboard");
			assertThat(health.status()).isEqualTo(503);
			assertThat(details(health.json()).get("reason").asString()).isEqualTo("lease-not-renewed");
			assertThat(details(health.json()).get("redis").asString()).isEqualTo("up");
			Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.until(() -> Http.get(claimed.port(), "/actuator/health/switchboard").status() == 200);
		}
	}

	@Test
	void reportsResyncingWhileTheRegistryIsRebuiltAfterRedisLostItsData() {
		try (TestRedis redis = TestRedis.startNew();
				Instance a = Instance.start(redis, redis, "a", ClusterEndpointTests.EXPOSED,
						"switchboard.redis.instance-timeout=9s")) {
			redis.command("FLUSHALL");
			// The endpoint's query finds the new data set at once.
			assertThat(Http.get(a.port(), "/actuator/switchboard").status()).isEqualTo(503);
			Http.Response health = Http.get(a.port(), "/actuator/health/switchboard");
			assertThat(health.status()).isEqualTo(503);
			assertThat(details(health.json()).get("reason").asString()).isEqualTo("resyncing");
			assertThat(details(health.json()).get("redis").asString()).isEqualTo("resyncing");
			Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.until(() -> Http.get(a.port(), "/actuator/health/switchboard").status() == 200);
			assertThat(Http.get(a.port(), "/actuator/switchboard").status()).isEqualTo(200);
		}
	}

	@Test
	void reportsShuttingDownFromTheMomentTheServerBeginsItsShutdown() throws Exception {
		TestRedis redis = TestRedis.shared();
		try (Instance leaving = Instance.start(redis, "reason-leaving", "leaving", "switchboard.close-timeout=60s",
				"switchboard.shutdown-timeout=30s");
				RawWebSocket silent = RawWebSocket.connect(leaving.port(), "/ws/greeting")) {
			silent.readFrame();
			int port = leaving.port();
			CompletableFuture<Void> closing = CompletableFuture.runAsync(leaving::close);
			// The server waits for this client, which does not answer its close.
			assertThat(silent.awaitCloseCode()).isEqualTo(1001);
			Http.Response health = Http.get(port, "/actuator/health/switchboard");
			assertThat(health.status()).isEqualTo(503);
			assertThat(details(health.json()).get("reason").asString()).isEqualTo("shutting-down");
			assertThat(details(health.json()).get("redis").asString()).isEqualTo("up");
			silent.close();
			closing.get(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private static JsonNode details(JsonNode group) {
		return ClusterEndpointTests.registryHealth(group).get("details");
	}

}
