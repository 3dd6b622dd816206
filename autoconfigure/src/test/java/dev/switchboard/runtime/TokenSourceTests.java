package dev.switchboard.runtime;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token sources that are off by default, a cookie and a query parameter, once
 * configured (docs/security.md, Where tokens come from).
 */
@TestPropertySource(properties = { "switchboard.security.token.cookie=access_token",
		"switchboard.security.token.query-parameter=access_token" })
class TokenSourceTests extends SocketTestSupport {

	@Test
	void authenticatesATokenFromTheConfiguredCookie() {
		try (WsClient client = WsClient.connect(uri("/ws/secure"),
				(headers) -> headers.set("Cookie", "theme=dark; access_token=token-cora"))) {
			assertThat(client.nextText()).isEqualTo("hello cora");
		}
	}

	@Test
	void authenticatesATokenFromTheConfiguredQueryParameter() {
		try (WsClient client = connect("/ws/secure?access_token=token-quinn")) {
			assertThat(client.nextText()).isEqualTo("hello quinn");
		}
	}

	@Test
	void takesAnEmptyQueryParameterForNoToken() {
		// The socket needs a user: no token is "authentication required", where an
		// empty token given to the authenticator would be "invalid token".
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/secure?access_token=", Map.of())) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 401");
			assertThat(client.responseBody()).contains("authentication required");
		}
	}

	@Test
	void takesAnEmptyCookieForNoToken() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/secure", Map.of("Cookie", "access_token="))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 401");
			assertThat(client.responseBody()).contains("authentication required");
		}
	}

	@Test
	void refusesAnInvalidTokenFromACookieWith401() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/secure",
				Map.of("Cookie", "access_token=forged"))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 401");
			assertThat(client.responseBody()).contains("invalid token");
		}
	}

	@Test
	void prefersTheAuthorizationHeaderToTheCookie() {
		try (WsClient client = WsClient.connect(uri("/ws/secure?access_token=token-quinn"), (headers) -> {
			headers.set("Authorization", "Bearer token-hal");
			headers.set("Cookie", "access_token=token-cora");
		})) {
			assertThat(client.nextText()).isEqualTo("hello hal");
		}
	}

	@Test
	void looksPastAnAuthorizationHeaderOfAnotherScheme() {
		try (WsClient client = WsClient.connect(uri("/ws/secure"), (headers) -> {
			headers.set("Authorization", "Basic dXNlcjpwYXNz");
			headers.set("Cookie", "access_token=token-cora");
		})) {
			assertThat(client.nextText()).isEqualTo("hello cora");
		}
	}

	@Test
	void takesABearerWithNothingAfterItForNoToken() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/secure",
				Map.of("Authorization", "Bearer "))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 401");
			assertThat(client.responseBody()).contains("authentication required");
		}
		try (WsClient client = WsClient.connect(uri("/ws/secure"), (headers) -> {
			headers.set("Authorization", "Bearer ");
			headers.set("Cookie", "access_token=token-cora");
		})) {
			assertThat(client.nextText()).isEqualTo("hello cora");
		}
	}

}
