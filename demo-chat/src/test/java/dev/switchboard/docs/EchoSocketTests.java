package dev.switchboard.docs;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.test.WsClient;
import dev.switchboard.test.WsClient.Frame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the {@link EchoSocket} that docs/annotations.md shows for reading an
 * {@code InboundMessage}: text comes back as text, binary as binary.
 */
class EchoSocketTests {

	private final DocsApps apps = new DocsApps();

	private ConfigurableApplicationContext app;

	@BeforeEach
	void startApp() {
		this.app = this.apps.start(List.of(DocsTranscriptsTests.DocsApplication.class, EchoSocket.class), List.of());
	}

	@AfterEach
	void stopApp() {
		this.apps.close();
	}

	@Test
	void answersTextWithTheSameText() {
		try (WsClient client = connect()) {
			client.send("héllo");
			client.send("{\"type\":\"greet\",\"id\":1}");
			Frame plain = client.next();
			Frame json = client.next();
			assertThat(plain.text()).isTrue();
			assertThat(plain.asText()).isEqualTo("héllo");
			assertThat(json.text()).isTrue();
			assertThat(json.asText()).isEqualTo("{\"type\":\"greet\",\"id\":1}");
		}
	}

	@Test
	void answersBinaryWithTheSameBytes() {
		byte[] bytes = { 0, (byte) 0x89, 'P', 'N', 'G', (byte) 0xff };
		try (WsClient client = connect()) {
			client.sendBinary(bytes);
			client.sendBinary("text in a binary frame".getBytes(StandardCharsets.UTF_8));
			Frame png = client.next();
			Frame utf8 = client.next();
			assertThat(png.text()).isFalse();
			assertThat(png.payload()).isEqualTo(bytes);
			assertThat(utf8.text()).isFalse();
			assertThat(utf8.payload()).isEqualTo("text in a binary frame".getBytes(StandardCharsets.UTF_8));
		}
	}

	private WsClient connect() {
		return WsClient.connect(URI.create("ws://localhost:" + DocsApps.port(this.app) + "/ws/echo"));
	}

}
