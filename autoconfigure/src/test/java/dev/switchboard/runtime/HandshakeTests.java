package dev.switchboard.runtime;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.test.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeTests extends SocketTestSupport {

	private String status(String path, Map<String, String> headers) {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, path, headers)) {
			return client.responseHead().lines().findFirst().orElse("");
		}
	}

	@Test
	void refusesAForeignOriginWith403WithoutUpgrading() {
		assertThat(status("/ws/routing", Map.of("Origin", "https://evil.example"))).startsWith("HTTP/1.1 403");
		assertThat(status("/ws/secure", Map.of("Origin", "https://evil.example", "Authorization", "Bearer token-zed")))
			.startsWith("HTTP/1.1 403");
		assertThat(this.events.events(String.class, "secure connected zed"::equals)).isEmpty();
	}

	@Test
	void acceptsThePagesOwnOrigin() {
		assertThat(status("/ws/routing", Map.of("Origin", "http://localhost:" + this.port))).startsWith("HTTP/1.1 101");
	}

	@Test
	void comparesOriginsWholeIncludingThePort() {
		assertThat(status("/ws/routing", Map.of("Origin", "http://localhost:" + this.port + "1")))
			.startsWith("HTTP/1.1 403");
		assertThat(status("/ws/routing", Map.of("Origin", "http://localhost.evil.example:" + this.port)))
			.startsWith("HTTP/1.1 403");
		assertThat(status("/ws/routing", Map.of("Origin", "null"))).startsWith("HTTP/1.1 403");
	}

	@Test
	void acceptsAHandshakeWithoutAnOriginFromANonBrowserClient() {
		assertThat(status("/ws/routing", Map.of())).startsWith("HTTP/1.1 101");
	}

	@Test
	void refusesAnUnsupportedWebSocketVersionWith426() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/routing",
				Map.of("Sec-WebSocket-Version", "8"))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 426").contains("Sec-WebSocket-Version: 13");
		}
	}

	@Test
	void refusesAHandshakeWithoutKeyWith400() {
		assertThat(status("/ws/routing", Map.of("Sec-WebSocket-Key", ""))).startsWith("HTTP/1.1 400");
	}

	@Test
	void refusesOfferedSubprotocolsItDoesNotSpeakWith400() {
		assertThat(status("/ws/rooms/x/arguments", Map.of("Sec-WebSocket-Protocol", "v9, v8")))
			.startsWith("HTTP/1.1 400");
	}

	@Test
	void acceptsAClientThatOffersNoSubprotocolWithoutOne() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/rooms/x/arguments", Map.of())) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 101")
				.doesNotContainIgnoringCase("Sec-WebSocket-Protocol");
		}
	}

	@Test
	void acceptsAnyClientOfASocketThatDeclaresNoSubprotocol() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/routing",
				Map.of("Sec-WebSocket-Protocol", "v9"))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 101")
				.doesNotContainIgnoringCase("Sec-WebSocket-Protocol");
		}
	}

	@Test
	void leavesRequestsThatAreNotUpgradesToTheRestOfTheApplication() {
		assertThat(status("/ws/routing", Map.of("Upgrade", "h2c"))).startsWith("HTTP/1.1 404");
	}

}
