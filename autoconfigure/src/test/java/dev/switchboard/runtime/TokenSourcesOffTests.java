package dev.switchboard.runtime;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token sources that are on by default, the header and the subprotocol marker, turned
 * off with empty names (docs/configuration.md).
 */
@TestPropertySource(properties = { "switchboard.security.token.header=", "switchboard.security.token.subprotocol=" })
class TokenSourcesOffTests extends SocketTestSupport {

	@Test
	void readsNoTokenFromTheHeaderWhenItsNameIsEmpty() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/secure",
				Map.of("Authorization", "Bearer token-zed"))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 401");
			assertThat(client.responseBody()).isEqualTo("{\"error\":\"authentication required\"}");
		}
	}

	@Test
	void readsNoTokenFromSubprotocolsWhenTheMarkerIsEmpty() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/secure",
				Map.of("Sec-WebSocket-Protocol", "switchboard.token, token-zed"))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 401");
			assertThat(client.responseBody()).isEqualTo("{\"error\":\"authentication required\"}");
		}
	}

}
