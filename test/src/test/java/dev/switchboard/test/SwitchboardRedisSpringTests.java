package dev.switchboard.test;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

@SwitchboardRedis
@SpringBootTest(classes = SwitchboardRedisSpringTests.Config.class, webEnvironment = WebEnvironment.NONE,
		properties = "spring.data.redis.port=6379")
class SwitchboardRedisSpringTests {

	@Test
	void pointsTheContextAtTheServerOfTheClassOverOtherProperties(@Autowired Environment environment, TestRedis redis) {
		assertThat(environment.getProperty("spring.data.redis.host")).isEqualTo(redis.host());
		assertThat(environment.getProperty("spring.data.redis.port")).isEqualTo(String.valueOf(redis.port()));
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	static class Config {

	}

}
