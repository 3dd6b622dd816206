package dev.switchboard.docs.testing;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.switchboard.Switchboard;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.redis.RedisConnectionRegistry;
import dev.switchboard.test.SocketTestClient;
import dev.switchboard.test.SocketTestSession;
import dev.switchboard.test.SwitchboardRedis;
import dev.switchboard.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

// tag::redis[]
@SwitchboardRedis
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatRedisTests {

	@LocalServerPort
	int port;

	@Autowired
	Switchboard switchboard;

	@Test
	void registersConnectionsInTheTestsRedis(@Autowired ConnectionRegistry registry, TestRedis redis) {
		assertThat(registry).isInstanceOf(RedisConnectionRegistry.class);
		assertThat(redis.command("EXISTS", "{switchboard}:u:ann")).isEqualTo("0");
		try (SocketTestSession ann = SocketTestClient.bindToPort(this.port)
			.path("/ws/chat")
			.token("ann-token")
			.connect()) {
			ann.expectType("welcome");
			assertThat(this.switchboard.isOnline("ann").block()).isTrue();
			assertThat(redis.command("EXISTS", "{switchboard}:u:ann")).isEqualTo("1");
		}
	}

}
// end::redis[]
