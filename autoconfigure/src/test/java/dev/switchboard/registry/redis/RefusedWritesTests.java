package dev.switchboard.registry.redis;

import org.junit.jupiter.api.Test;

import dev.switchboard.fixtures.EventLog;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis answers but refuses writes, as a replica does during a failover (here through
 * {@code min-replicas-to-write}): an instance whose write was refused treats Redis as
 * unreachable, and once Redis takes writes again it removes what it could not.
 */
class RefusedWritesTests {

	@Test
	void removesAConnectionWhoseRemovalRedisRefusedOnceItTakesWritesAgain() {
		try (TestRedis redis = TestRedis.startNew();
				Instance a = Instance.start(redis, redis, "a");
				Instance b = Instance.start(redis, redis, "b")) {
			String online = "{p" + redis.port() + "}:online";
			WsClient wes = b.connect("/ws/chat?user=wes");
			wes.nextJson();
			assertThat(redis.command("SISMEMBER", online, "wes")).isEqualTo("1");
			redis.command("CONFIG", "SET", "min-replicas-to-write", "1");
			wes.close();
			Await.until(() -> !b.lease().state().reachable());
			assertThat(redis.command("SISMEMBER", online, "wes")).isEqualTo("1");
			redis.command("CONFIG", "SET", "min-replicas-to-write", "0");
			Await.until(() -> "0".equals(redis.command("SISMEMBER", online, "wes")));
			Await.until(() -> b.lease().state().reachable());
			assertThat(redis.command("EXISTS", "{p" + redis.port() + "}:i:b")).isEqualTo("0");
			assertThat(b.bean(EventLog.class).presenceOf("wes", 2)).containsExactly("online", "offline");
		}
	}

}
