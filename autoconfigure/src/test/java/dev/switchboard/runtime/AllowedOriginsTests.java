package dev.switchboard.runtime;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.Socket;
import dev.switchboard.test.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code switchboard.allowed-origins} lists the origins of every socket, and
 * {@code @Socket(allowedOrigins)} replaces the list for one (docs/security.md, Origins).
 */
@TestPropertySource(properties = "switchboard.allowed-origins=https://chat.example.com")
@Import(AllowedOriginsTests.AdminSocketConfiguration.class)
class AllowedOriginsTests extends SocketTestSupport {

	private String status(String path, String origin) {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, path, Map.of("Origin", origin))) {
			return client.responseHead().lines().findFirst().orElse("");
		}
	}

	@Test
	void allowsTheConfiguredOriginsOnEverySocket() {
		assertThat(status("/ws/routing", "https://chat.example.com")).startsWith("HTTP/1.1 101");
		assertThat(status("/ws/routing", "https://admin.example.com")).startsWith("HTTP/1.1 403");
		assertThat(status("/ws/routing", "http://localhost:" + this.port)).startsWith("HTTP/1.1 403");
	}

	@Test
	void letsASocketReplaceTheConfiguredOrigins() {
		assertThat(status("/ws/admin-origins", "https://admin.example.com")).startsWith("HTTP/1.1 101");
		assertThat(status("/ws/admin-origins", "https://chat.example.com")).startsWith("HTTP/1.1 403");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class AdminSocketConfiguration {

		@Bean
		AdminOriginsSocket adminOriginsSocket() {
			return new AdminOriginsSocket();
		}

	}

	@Socket(name = "admin-origins", allowedOrigins = "https://admin.example.com")
	static class AdminOriginsSocket {

		@OnConnect
		String hello() {
			return "hello";
		}

	}

}
