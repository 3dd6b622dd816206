package dev.switchboard.registry.redis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance whose first commands fail, as on a loaded machine where Redis answers later
 * than the command timeout, or before Redis runs, starts in the outage state and logs
 * that it joined the cluster once it holds its lease, once, not at every renewal.
 */
@ExtendWith(OutputCaptureExtension.class)
class ColdStartTests {

	private static final String JOINED = "Switchboard instance cold joined the cluster in Redis";

	@Test
	void logsThatItJoinedWhenRedisAnswersAfterItsFirstCommandsTimedOut(CapturedOutput output) {
		try (TestRedis redis = TestRedis.startNew()) {
			// Scripts and publishes wait until the pause ends, then run: the first
			// heartbeat takes the lease in Redis after the instance gave up on it.
			redis.command("CLIENT", "PAUSE", "60000", "WRITE");
			try (Instance cold = Instance.start(redis, redis, "cold")) {
				assertThat(cold.lease().state().reachable()).isFalse();
				assertThat(output).contains("Redis is unreachable").doesNotContain(JOINED);
				redis.command("CLIENT", "UNPAUSE");
				assertJoinedOnce(redis, cold, output);
			}
		}
	}

	@Test
	void logsThatItJoinedWhenRedisStartsAfterIt(CapturedOutput output) {
		try (TestRedis redis = TestRedis.startNew()) {
			redis.stop();
			try (Instance cold = Instance.start(redis, redis, "cold")) {
				assertThat(cold.lease().state().reachable()).isFalse();
				assertThat(output).contains("Redis is unreachable").doesNotContain(JOINED);
				redis.start();
				assertJoinedOnce(redis, cold, output);
			}
		}
	}

	private static void assertJoinedOnce(TestRedis redis, Instance cold, CapturedOutput output) {
		Await.until(() -> output.toString().contains(JOINED));
		assertThat(cold.lease().state().leaseHeld()).isTrue();
		assertThat(cold.lease().state().reachable()).isTrue();
		// Two renewals later, the tick of the first has ended: ticks never overlap.
		nextDeadline(redis, nextDeadline(redis, deadline(redis)));
		assertThat(output.toString().lines().filter((line) -> line.contains(JOINED))).hasSize(1);
	}

	private static String nextDeadline(TestRedis redis, String previous) {
		Await.until(() -> !deadline(redis).equals(previous));
		return deadline(redis);
	}

	private static String deadline(TestRedis redis) {
		return redis.command("ZSCORE", "{p" + redis.port() + "}:instances", "cold");
	}

}
