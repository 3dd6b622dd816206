package dev.switchboard.runtime;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server-wide properties of docs/configuration.md, set as an application sets them.
 */
@TestPropertySource(properties = { "switchboard.allowed-origins=https://chat.example.com",
		"switchboard.max-message-size=2KB", "switchboard.handler-timeout=300ms", "switchboard.type-field=kind",
		"switchboard.instance-id=configured", "switchboard.close-timeout=1s" })
class ConfiguredServerTests extends SocketTestSupport {

	@Test
	void acceptsTheConfiguredOriginsAndRefusesOthers() {
		assertThat(status("/ws/routing", "https://chat.example.com")).startsWith("HTTP/1.1 101");
		assertThat(status("/ws/routing", "https://evil.example")).startsWith("HTTP/1.1 403");
	}

	@Test
	void letsASocketReplaceTheConfiguredOrigins() {
		assertThat(status("/ws/partner", "https://partner.example")).startsWith("HTTP/1.1 101");
		assertThat(status("/ws/partner", "https://chat.example.com")).startsWith("HTTP/1.1 403");
	}

	@Test
	void closesWith1009AMessageOverTheConfiguredSize() {
		try (RawWebSocket client = raw("/ws/routing")) {
			client.sendText("x".repeat(2048));
			assertThat(new String(client.readFrame().payload())).isEqualTo("fallback:" + "x".repeat(2048));
			client.sendText("x".repeat(2049));
			assertThat(client.awaitCloseCode()).isEqualTo(1009);
		}
	}

	@Test
	void answersAHandlerOverTheConfiguredTimeoutWithTimeout() {
		try (WsClient client = allowed("/ws/errors")) {
			client.send("{\"kind\":\"slow\",\"id\":3}");
			JsonNode error = client.nextJson();
			assertThat(error.get("code").asString()).isEqualTo("timeout");
			assertThat(error.get("error").asString()).isEqualTo("handler did not complete within 300ms");
		}
	}

	@Test
	void routesByTheConfiguredTypeField() {
		try (WsClient client = allowed("/ws/routing")) {
			client.send("{\"kind\":\"greet\",\"name\":\"ann\"}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"type\":\"greeted\",\"text\":\"hello ann\"}");
			client.send("{\"type\":\"greet\"}");
			assertThat(client.nextText()).isEqualTo("fallback:{\"type\":\"greet\"}");
		}
	}

	@Test
	void prefixesConnectionIdsWithTheInstanceId() {
		try (RawWebSocket client = raw("/ws/greeting")) {
			assertThat(greetingId(client)).startsWith("configured.");
		}
	}

	@Test
	void closesTheNetworkConnectionTheCloseTimeoutAfterItsCloseFrameWhenTheClientNeverAnswers() {
		try (RawWebSocket client = raw("/ws/rejecting?mode=reject")) {
			assertThat(client.readFrame().closeCode()).isEqualTo(1008);
			long closed = System.nanoTime();
			assertThat(client.readFrame()).as("the end of the connection").isNull();
			assertThat(Duration.ofNanos(System.nanoTime() - closed)).isBetween(Duration.ofMillis(800),
					Duration.ofSeconds(5));
		}
	}

	private WsClient allowed(String path) {
		return WsClient.connect(uri(path), (headers) -> headers.set("Origin", "https://chat.example.com"));
	}

	private String status(String path, String origin) {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, path, Map.of("Origin", origin))) {
			return client.responseHead().lines().findFirst().orElse("");
		}
	}

}
