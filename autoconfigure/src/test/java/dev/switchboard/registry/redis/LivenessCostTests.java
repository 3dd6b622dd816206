package dev.switchboard.registry.redis;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instance liveness costs one lease renewal per instance and heartbeat, however many
 * connections the instance holds.
 */
class LivenessCostTests {

	@Test
	void renewsOneLeasePerInstanceWhateverTheNumberOfConnections() {
		List<WsClient> clients = new ArrayList<>();
		try (TestRedis redis = TestRedis.startNew();
				Instance instance = Instance.start(redis, "liveness", "a",
						"switchboard.redis.instance-timeout=2400ms")) {
			for (int i = 0; i < 50; i++) {
				WsClient client = instance.connect("/ws/chat?user=u" + i);
				client.nextJson();
				clients.add(client);
			}
			redis.resetStats();
			Await.until(() -> redis.commandCalls("zadd") >= 4);
			long heartbeats = redis.commandCalls("zadd");
			assertThat(redis.commandCalls("hset")).isZero();
			assertThat(redis.commandCalls("hexists")).isZero();
			// Each heartbeat is two script runs: the renewal, and the search for dead
			// instances.
			assertThat(redis.commandCalls("evalsha")).isLessThanOrEqualTo(2 * heartbeats + 2);
		}
		finally {
			clients.forEach(WsClient::close);
		}
	}

}
