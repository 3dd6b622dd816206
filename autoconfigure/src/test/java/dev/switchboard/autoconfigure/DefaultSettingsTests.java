package dev.switchboard.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import dev.switchboard.OverflowPolicy;
import dev.switchboard.RateLimitAction;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;
import dev.switchboard.handler.support.SocketSettings;
import dev.switchboard.runtime.ServerSettings;
import dev.switchboard.runtime.SwitchboardServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The defaults that docs/security.md (Defaults) and docs/configuration.md (Properties)
 * promise, as an application without any {@code switchboard.*} property gets them.
 */
class DefaultSettingsTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class, JacksonAutoConfiguration.class,
				WebFluxAutoConfiguration.class))
		.withUserConfiguration(Sockets.class);

	@Test
	void appliesTheDocumentedDefaults() {
		this.runner.run((context) -> {
			ServerSettings settings = context.getBean(SwitchboardServer.class).settings();
			assertThat(settings.allowedOrigins()).as("same origin only").isEmpty();
			assertThat(settings.allowMissingOrigin()).isTrue();
			assertThat(settings.compression()).isFalse();
			assertThat(settings.pingInterval()).isEqualTo(Duration.ofSeconds(30));
			assertThat(settings.pongTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(settings.idleTimeout()).as("0: idle clients are kept").isZero();
			assertThat(settings.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(settings.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(settings.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(settings.outboundBufferSize()).isEqualTo(DataSize.ofKilobytes(256).toBytes());
			assertThat(settings.overflowPolicy()).isEqualTo(OverflowPolicy.CLOSE);
			assertThat(settings.instanceId()).matches("[a-z0-9]{10}");

			ServerSettings.Security security = settings.security();
			assertThat(security.requireAuthentication()).isFalse();
			assertThat(security.rejectAfterUpgrade()).isFalse();
			assertThat(security.tokenHeader()).isEqualTo("Authorization");
			assertThat(security.tokenSubprotocol()).isEqualTo("switchboard.token");
			assertThat(security.tokenCookie()).as("no cookie").isNull();
			assertThat(security.tokenQueryParameter()).as("no query parameter").isNull();

			ServerSettings.Limits limits = settings.limits();
			assertThat(limits.messagesPerSecond()).isEqualTo(50);
			assertThat(limits.messageBurst()).isEqualTo(100);
			assertThat(limits.rateLimitAction()).isEqualTo(RateLimitAction.REPLY);
			assertThat(limits.connectionsPerUser()).isEqualTo(16);
			assertThat(limits.connectionsPerInstance()).isEqualTo(10_000);

			ServerSettings.Logging logging = settings.logging();
			assertThat(logging.linesPerInterval()).isEqualTo(10);
			assertThat(logging.interval()).isEqualTo(Duration.ofMinutes(1));
			assertThat(logging.mdc()).isTrue();

			SocketSettings socket = context.getBean(SwitchboardServer.class).endpoints().get(0).socket();
			assertThat(socket.path()).isEqualTo("/ws/chat");
			assertThat(socket.maxMessageSize()).isEqualTo(DataSize.ofKilobytes(64).toBytes());
			assertThat(socket.handlerTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(socket.allowedOrigins()).as("the server-wide origins apply").isNull();
			assertThat(socket.authenticated()).isFalse();

			SwitchboardProperties properties = context.getBean(SwitchboardProperties.class);
			assertThat(properties.getTypeField()).isEqualTo("type");
			assertThat(properties.getRegistry()).isEqualTo(SwitchboardProperties.Registry.AUTO);
			assertThat(properties.getRedis().getKeyPrefix()).isEqualTo("switchboard");
			assertThat(properties.getRedis().getInstanceTimeout()).isEqualTo(Duration.ofSeconds(15));
			assertThat(properties.getRedis().getCommandTimeout()).isEqualTo(Duration.ofSeconds(2));
			assertThat(properties.getRedis().getPurgeBatchSize()).isEqualTo(500);
			assertThat(properties.getRedis().getReconnectInterval()).isEqualTo(Duration.ofSeconds(1));
		});
	}

	@Test
	void readsPlainNumbersAsBytesAndMilliseconds() {
		this.runner.withPropertyValues("switchboard.max-message-size=2048", "switchboard.handler-timeout=500")
			.run((context) -> {
				SocketSettings socket = context.getBean(SwitchboardServer.class).endpoints().get(0).socket();
				assertThat(socket.maxMessageSize()).isEqualTo(2048);
				assertThat(socket.handlerTimeout()).isEqualTo(Duration.ofMillis(500));
			});
	}

	@Test
	void setsNoHandlerTimeoutForZero() {
		this.runner.withPropertyValues("switchboard.handler-timeout=0")
			.run((context) -> assertThat(
					context.getBean(SwitchboardServer.class).endpoints().get(0).socket().handlerTimeout())
				.isNull());
	}

	@Test
	void letsASocketReplaceTheHandlerTimeoutAndMessageSize() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class, JacksonAutoConfiguration.class,
					WebFluxAutoConfiguration.class))
			.withBean(Patient.class, Patient::new)
			.withPropertyValues("switchboard.handler-timeout=1s")
			.run((context) -> {
				SocketSettings socket = context.getBean(SwitchboardServer.class).endpoints().get(0).socket();
				assertThat(socket.handlerTimeout()).isEqualTo(Duration.ofMinutes(2));
				assertThat(socket.maxMessageSize()).isEqualTo(DataSize.ofKilobytes(8).toBytes());
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Sockets {

		@Bean
		Chat chat() {
			return new Chat();
		}

	}

	@Socket(name = "patient", handlerTimeout = "2m", maxMessageSize = "8KB")
	static class Patient {

		@OnMessage
		String echo(String text) {
			return text;
		}

	}

	@Socket("chat")
	static class Chat {

		@OnMessage
		String echo(String text) {
			return text;
		}

	}

}
