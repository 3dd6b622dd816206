package dev.switchboard.docs;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.testcontainers.containers.GenericContainer;

import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.redis.RedisConnectionRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the documented test as an inner class, which neither Surefire nor JUnit runs as
 * it is, since it needs Docker: {@link RedisTestcontainersTests} runs its test methods on
 * a local Redis.
 */
class RedisTestcontainers {

	// tag::test[]
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	class ChatApplicationTests {

		@ServiceConnection(name = "redis")
		static GenericContainer<?> redis = new GenericContainer<>("redis:7").withExposedPorts(6379);

		@Autowired
		Switchboard switchboard;

		@Test
		void registersConnectionsInRedis(@Autowired ConnectionRegistry registry) {
			assertThat(registry).isInstanceOf(RedisConnectionRegistry.class);
		}

		@Test
		void findsNobodyBeforeAnyoneConnects() {
			assertThat(this.switchboard.toUser("ann").send("hello").block()).isEqualTo(SendResult.NOT_CONNECTED);
		}

	}
	// end::test[]

}
