package dev.switchboard.test;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestRedisSentinelTests {

	@Test
	void failsOverOnRequestAndWhenTheMasterIsKilled() {
		try (TestRedisSentinel sentinel = TestRedisSentinel.start()) {
			assertThat(sentinel.springProperties()).containsEntry("spring.data.redis.sentinel.master",
					TestRedisSentinel.MASTER_NAME);
			assertThat(sentinel.springProperties().get("spring.data.redis.sentinel.nodes").split(",")).hasSize(3)
				.noneMatch((node) -> node.endsWith(":6379"));
			int first = sentinel.masterPort();
			assertThat(first).isNotEqualTo(6379);
			sentinel.masterCommand("SET", "kept", "1");
			int asked = sentinel.failover();
			int second = sentinel.awaitNewMaster(asked, Duration.ofSeconds(30));
			assertThat(second).isNotEqualTo(first);
			assertThat(sentinel.masterCommand("GET", "kept")).isEqualTo("1");
			sentinel.awaitReady();
			int killed = sentinel.killMaster();
			int third = sentinel.awaitNewMaster(killed, Duration.ofSeconds(30));
			assertThat(third).isEqualTo(first);
			sentinel.restoreKilled();
			assertThat(sentinel.masterPort()).isEqualTo(first);
		}
	}

}
