package dev.switchboard.registry.redis;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.ConnectionInfo;
import dev.switchboard.registry.ConnectionRegistry.Registration;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connections of a user count across the cluster.
 */
class UserLimitTests {

	@Test
	void refusesAUsersConnectionOverTheLimitCountedOnEveryInstance() {
		TestRedis redis = TestRedis.shared();
		try (Instance a = Instance.start(redis, "limit", "a", "switchboard.limits.connections-per-user=2");
				Instance b = Instance.start(redis, "limit", "b", "switchboard.limits.connections-per-user=2");
				WsClient onA = a.connect("/ws/chat?user=max");
				WsClient onB = b.connect("/ws/chat?user=max")) {
			onA.nextJson();
			onB.nextJson();
			try (RawWebSocket third = RawWebSocket.handshake(a.port(), "/ws/chat?user=max", Map.of())) {
				assertThat(third.responseHead()).startsWith("HTTP/1.1 429");
			}
			// Registrations racing past the handshake's check are refused atomically by
			// the script.
			ConnectionInfo racer = new ConnectionInfo("a.racer", "chat", "max", "a");
			assertThat(a.bean(RedisConnectionRegistry.class).register(racer, 2).block())
				.isEqualTo(Registration.OVER_LIMIT);
		}
	}

}
