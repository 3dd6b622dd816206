package dev.switchboard.cluster;

import org.junit.jupiter.api.Test;

import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance that shuts down closes its connections with 1001 and removes its entries
 * from Redis, so the others see its users go offline at once.
 */
class GracefulLeaveTests {

	@Test
	void closesConnectionsAndLeavesNothingInRedis() {
		TestRedis redis = TestRedis.shared();
		try (Instance observer = Instance.start(redis, "leave", "observer")) {
			Instance leaving = Instance.start(redis, "leave", "leaving");
			WsClient sal = leaving.connect("/ws/chat?user=sal&room=exit");
			sal.nextJson();
			assertThat(observer.switchboard().isOnline("sal").block()).isTrue();
			leaving.close();
			assertThat(sal.awaitClose().getCode()).isEqualTo(1001);
			assertThat(observer.switchboard().isOnline("sal").block()).isFalse();
			assertThat(observer.switchboard().membersOf("exit").collectList().block()).isEmpty();
			assertThat(redis.command("EXISTS", "{leave}:i:leaving")).isEqualTo("0");
			assertThat(redis.command("ZSCORE", "{leave}:instances", "leaving")).isEqualTo("(nil)");
		}
	}

}
