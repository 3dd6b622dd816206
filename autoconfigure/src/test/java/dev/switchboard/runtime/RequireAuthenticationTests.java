package dev.switchboard.runtime;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code switchboard.security.require-authentication=true}: every socket needs a user, as
 * if each had {@code @Socket(authenticated = true)}.
 */
@TestPropertySource(properties = "switchboard.security.require-authentication=true")
class RequireAuthenticationTests extends SocketTestSupport {

	@Test
	void refusesAnAnonymousHandshakeOnASocketThatDoesNotAskForAUserWith401() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/routing", Map.of())) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 401");
			assertThat(client.responseBody()).isEqualTo("{\"error\":\"authentication required\"}");
		}
	}

	@Test
	void acceptsAnAuthenticatedHandshakeOnThatSocket() {
		try (WsClient client = WsClient.connect(uri("/ws/routing"),
				(headers) -> headers.set("Authorization", "Bearer token-ada"))) {
			client.send("hi");
			assertThat(client.nextText()).isEqualTo("fallback:hi");
		}
	}

}
