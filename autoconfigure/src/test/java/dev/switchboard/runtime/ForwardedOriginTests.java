package dev.switchboard.runtime;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a proxy, with Boot's forward-headers strategy on, same-origin is judged on the
 * forwarded scheme and host.
 */
@TestPropertySource(properties = "server.forward-headers-strategy=framework")
class ForwardedOriginTests extends SocketTestSupport {

	private String status(Map<String, String> headers) {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/routing", headers)) {
			return client.responseHead().lines().findFirst().orElse("");
		}
	}

	@Test
	void acceptsThePagesOriginAsTheProxySeesIt() {
		assertThat(status(Map.of("Origin", "https://chat.example.com", "X-Forwarded-Host", "chat.example.com",
				"X-Forwarded-Proto", "https")))
			.startsWith("HTTP/1.1 101");
	}

	@Test
	void refusesTheSameOriginWhenTheProxyForwardedAnotherHost() {
		assertThat(status(Map.of("Origin", "https://chat.example.com", "X-Forwarded-Host", "other.example.com",
				"X-Forwarded-Proto", "https")))
			.startsWith("HTTP/1.1 403");
		assertThat(status(Map.of("Origin", "https://chat.example.com"))).startsWith("HTTP/1.1 403");
	}

}
