package dev.switchboard.runtime;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.fixtures.EventLog;
import dev.switchboard.fixtures.SocketsTestApplication;
import dev.switchboard.test.Await;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ShutdownTests {

	@Test
	void closesConnectionsWith1001AndRefusesNewOnesWith503() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SocketsTestApplication.class)
			.properties("server.port=0", "switchboard.close-timeout=3s", "spring.main.banner-mode=off")
			.run();
		try {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			EventLog events = context.getBean(EventLog.class);
			try (WsClient client = WsClient.connect(URI.create("ws://localhost:" + port + "/ws/greeting"));
					RawWebSocket lingering = RawWebSocket.connect(port, "/ws/greeting")) {
				String id = client.nextText().substring("hello ".length());
				lingering.readFrame();
				CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
				CloseStatus status = client.awaitClose();
				assertThat(status.getCode()).isEqualTo(1001);
				assertThat(status.getReason()).isEqualTo("server shutting down");
				assertThat(lingering.awaitCloseCode()).isEqualTo(1001);
				try (RawWebSocket late = RawWebSocket.handshake(port, "/ws/greeting", Map.of())) {
					assertThat(late.responseHead()).startsWith("HTTP/1.1 503");
					assertThat(late.responseBody()).isEqualTo("{\"error\":\"server is not accepting connections\"}");
				}
				lingering.close();
				closing.get(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				assertThat(context.isActive()).isFalse();
				// Shutdown waited for the @OnDisconnect methods: no waiting here.
				assertThat(events.events(EventLog.Disconnected.class, (event) -> event.connectionId().equals(id)))
					.singleElement()
					.satisfies((event) -> assertThat(event.status().getCode()).isEqualTo(1001));
			}
		}
		finally {
			context.close();
		}
	}

	@Test
	void letsTheShutdownContinueAfterTheShutdownTimeoutWhenAClientNeverAnswersTheClose(CapturedOutput output)
			throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SocketsTestApplication.class)
			.properties("server.port=0", "switchboard.shutdown-timeout=1s", "switchboard.close-timeout=60s",
					"spring.main.banner-mode=off")
			.run();
		try {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			try (RawWebSocket silent = RawWebSocket.connect(port, "/ws/greeting")) {
				silent.readFrame();
				long start = System.nanoTime();
				CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
				assertThat(silent.awaitCloseCode()).isEqualTo(1001);
				// The web server's graceful shutdown follows Switchboard's part of it.
				Await.until(() -> output.toString().contains("Commencing graceful shutdown"));
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(1),
						Duration.ofSeconds(8));
				assertThat(output).contains("Connections still open after PT1S of shutdown");
				silent.close();
				closing.get(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		finally {
			context.close();
		}
	}

}
