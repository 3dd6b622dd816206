package dev.switchboard.runtime;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.fixtures.SocketsTestApplication;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

class ShutdownTests {

	@Test
	void closesConnectionsWith1001AndRefusesNewOnesWith503() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SocketsTestApplication.class)
			.properties("server.port=0", "switchboard.close-timeout=3s", "spring.main.banner-mode=off")
			.run();
		try {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			try (WsClient client = WsClient.connect(URI.create("ws://localhost:" + port + "/ws/greeting"));
					RawWebSocket lingering = RawWebSocket.connect(port, "/ws/greeting")) {
				client.next();
				lingering.readFrame();
				CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
				assertThat(client.awaitClose().getCode()).isEqualTo(1001);
				assertThat(lingering.awaitCloseCode()).isEqualTo(1001);
				try (RawWebSocket late = RawWebSocket.handshake(port, "/ws/greeting", Map.of())) {
					assertThat(late.responseHead()).startsWith("HTTP/1.1 503");
				}
				lingering.close();
				closing.get(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				assertThat(context.isActive()).isFalse();
			}
		}
		finally {
			context.close();
		}
	}

}
