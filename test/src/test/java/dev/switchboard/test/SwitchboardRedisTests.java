package dev.switchboard.test;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@SwitchboardRedis
class SwitchboardRedisTests {

	private static TestRedis before;

	@BeforeAll
	static void keep(TestRedis redis) {
		before = redis;
	}

	@Test
	void givesEveryParameterOfTheClassTheSameServerOfItsOwn(TestRedis redis) {
		assertThat(redis).isSameAs(before);
		assertThat(redis.command("PING")).isEqualTo("PONG");
		assertThat(redis.port()).isNotEqualTo(6379);
	}

}
