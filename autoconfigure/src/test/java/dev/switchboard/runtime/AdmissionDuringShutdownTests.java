package dev.switchboard.runtime;

import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.switchboard.SocketHandshake;
import dev.switchboard.SocketInterceptor;
import dev.switchboard.fixtures.SocketsTestApplication;
import dev.switchboard.test.Await;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A handshake still being admitted (here, by an interceptor that answers late) when the
 * shutdown lists the connections to close is not served once admitted: it is closed with
 * 1001 too, so that it neither runs a handler nor holds the web server's shutdown up.
 */
class AdmissionDuringShutdownTests {

	@Test
	void closesWith1001AConnectionAdmittedAfterShutdownBegan() throws Exception {
		CountDownLatch asked = new CountDownLatch(1);
		Sinks.Empty<Void> verdict = Sinks.empty();
		SocketInterceptor lateInterceptor = new SocketInterceptor() {

			@Override
			public Mono<Void> beforeHandshake(SocketHandshake handshake) {
				if (!handshake.queryParams().containsKey("late")) {
					return Mono.empty();
				}
				asked.countDown();
				return verdict.asMono();
			}

		};
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SocketsTestApplication.class)
			.initializers((initialized) -> ((GenericApplicationContext) initialized)
				.registerBean(SocketInterceptor.class, () -> lateInterceptor))
			.properties("server.port=0", "spring.main.banner-mode=off")
			.run();
		try {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			WsClient late = WsClient.start(URI.create("ws://localhost:" + port + "/ws/greeting?late"), (headers) -> {
			});
			assertThat(asked.await(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
			Await.until(() -> refusedForShutdown(port));
			verdict.tryEmitEmpty();
			assertThat(late.awaitClose().getCode()).isEqualTo(1001);
			assertThat(late.drain()).isEmpty();
			closing.get(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		finally {
			context.close();
		}
	}

	@Test
	void countsTheHandshakesRefusedOnceTheServerStopped() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SocketsTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.run();
		try {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			CountDownLatch stopped = new CountDownLatch(1);
			context.getBean(SwitchboardServer.class).stop(stopped::countDown);
			try (RawWebSocket refused = RawWebSocket.handshake(port, "/ws/greeting", Map.of())) {
				assertThat(refused.responseHead()).startsWith("HTTP/1.1 503");
			}
			assertThat(meters.get("switchboard.handshakes.rejected")
				.tags("socket", "greeting", "reason", "shutting-down", "status", "503")
				.counter()
				.count()).isEqualTo(1);
		}
		finally {
			context.close();
		}
	}

	// Refused with 503 once Switchboard stopped accepting, then not connected at all once
	// the web server's graceful shutdown, which comes next, closed its port.
	private static boolean refusedForShutdown(int port) {
		try (RawWebSocket probe = RawWebSocket.handshake(port, "/ws/greeting", Map.of())) {
			return probe.responseHead().startsWith("HTTP/1.1 503");
		}
		catch (AssertionError ex) {
			return ex.getCause() instanceof ConnectException;
		}
	}

}
