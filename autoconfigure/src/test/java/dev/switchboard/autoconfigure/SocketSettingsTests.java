package dev.switchboard.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.ApplicationContext;

import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;
import dev.switchboard.handler.support.SocketSettings;
import dev.switchboard.runtime.HandshakeNegotiator;
import dev.switchboard.runtime.SwitchboardServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the attributes of {@code @Socket} become, as docs/annotations.md describes them.
 */
class SocketSettingsTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class, JacksonAutoConfiguration.class,
				WebFluxAutoConfiguration.class));

	@Test
	void namesASocketAfterItsBeanWhenItDeclaresNoName() {
		this.runner.withUserConfiguration(EchoSocket.class).run((context) -> {
			SocketSettings socket = socket(context, "echoSocket");
			assertThat(socket.path()).isEqualTo("/ws/echoSocket");
		});
	}

	@Test
	void resolvesPlaceholdersOnceWithoutSplittingLists() {
		this.runner.withUserConfiguration(FeedSocket.class)
			.withPropertyValues("feed.max-message-size=2KB",
					"feed.web-origin=https://a.example.com,https://b.example.com")
			.run((context) -> {
				SocketSettings socket = socket(context, "feed");
				assertThat(socket.maxMessageSize()).isEqualTo(2048);
				assertThat(socket.allowedOrigins()).containsExactly("https://a.example.com,https://b.example.com",
						"https://admin.example.com");
			});
		this.runner.withUserConfiguration(FeedSocket.class)
			.withPropertyValues("feed.web-origin=https://a.example.com")
			.run((context) -> assertThat(socket(context, "feed").maxMessageSize()).isEqualTo(128 * 1024));
	}

	@Test
	void takesTheHandlerTimeoutFromTheSocketElseTheProperty() {
		this.runner.withUserConfiguration(EchoSocket.class, TimedSocket.class, UnlimitedSocket.class)
			.withPropertyValues("switchboard.handler-timeout=3s")
			.run((context) -> {
				assertThat(socket(context, "echoSocket").handlerTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(socket(context, "timed").handlerTimeout()).isEqualTo(Duration.ofMillis(200));
				assertThat(socket(context, "unlimited").handlerTimeout()).as("0: no limit").isNull();
			});
		this.runner.withUserConfiguration(EchoSocket.class)
			.withPropertyValues("switchboard.handler-timeout=0")
			.run((context) -> assertThat(socket(context, "echoSocket").handlerTimeout()).as("0: no limit").isNull());
	}

	@Test
	void readsPlainNumbersAsBytesAndMillisecondsAndIsoDurations() {
		this.runner.withUserConfiguration(PlainNumbersSocket.class, IsoDurationSocket.class).run((context) -> {
			assertThat(socket(context, "plain-numbers").maxMessageSize()).isEqualTo(2048);
			assertThat(socket(context, "plain-numbers").handlerTimeout()).isEqualTo(Duration.ofMillis(1500));
			assertThat(socket(context, "iso-duration").handlerTimeout()).isEqualTo(Duration.ofSeconds(5));
		});
	}

	private static SocketSettings socket(ApplicationContext context, String name) {
		List<HandshakeNegotiator> endpoints = context.getBean(SwitchboardServer.class).endpoints();
		return endpoints.stream()
			.map(HandshakeNegotiator::socket)
			.filter((socket) -> socket.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no socket '" + name + "' in " + endpoints));
	}

	@Socket(name = "feed", maxMessageSize = "${feed.max-message-size:128KB}",
			allowedOrigins = { "${feed.web-origin}", "${feed.admin-origin:https://admin.example.com}" })
	static class FeedSocket {

		@OnMessage
		String echo(String text) {
			return text;
		}

	}

	@Socket(name = "plain-numbers", maxMessageSize = "2048", handlerTimeout = "1500")
	static class PlainNumbersSocket {

	}

	@Socket(name = "iso-duration", handlerTimeout = "PT5S")
	static class IsoDurationSocket {

	}

	@Socket(name = "timed", handlerTimeout = "200ms")
	static class TimedSocket {

	}

	@Socket(name = "unlimited", handlerTimeout = "0")
	static class UnlimitedSocket {

	}

}
