package dev.switchboard.test;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;

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

	@Test
	void pointsInstancesStartedWithoutARedisAtTheClasssServer(TestRedis redis) {
		try (SwitchboardInstances instances = SwitchboardInstances.start(EchoSocketApplication.class, 2)) {
			for (SwitchboardInstance instance : instances) {
				Environment environment = instance.bean(Environment.class);
				assertThat(environment.getProperty("spring.data.redis.port")).isEqualTo(Integer.toString(redis.port()));
				assertThat(environment.getProperty("spring.data.redis.host")).isEqualTo(redis.host());
			}
		}
		try (SwitchboardInstances instances = SwitchboardInstances.of(EchoSocketApplication.class)
			.properties("spring.data.redis.port=1")
			.start(1)) {
			assertThat(instances.get(0).bean(Environment.class).getProperty("spring.data.redis.port")).isEqualTo("1");
		}
	}

}
