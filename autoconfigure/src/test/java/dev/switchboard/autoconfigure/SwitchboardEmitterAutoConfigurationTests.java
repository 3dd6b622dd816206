package dev.switchboard.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.switchboard.Switchboard;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.Envelope;
import dev.switchboard.registry.redis.RedisEmitter;
import dev.switchboard.registry.redis.RedisRegistryFactory;
import dev.switchboard.runtime.SwitchboardServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the send-only Switchboard applies: with Redis, in an application that serves no
 * sockets, or when asked for; never in place of the socket server's. The emitter connects
 * to Redis only when it sends, so no Redis runs here.
 */
class SwitchboardEmitterAutoConfigurationTests {

	private static final AutoConfigurations EMITTER = AutoConfigurations.of(SwitchboardEmitterAutoConfiguration.class,
			DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class, JacksonAutoConfiguration.class);

	@Test
	void appliesInAnApplicationThatIsNotAWebApplicationOrAServletOne() {
		new ApplicationContextRunner().withConfiguration(EMITTER)
			.run((context) -> assertThat(context).getBean(Switchboard.class).isInstanceOf(RedisEmitter.class));
		new WebApplicationContextRunner().withConfiguration(EMITTER)
			.run((context) -> assertThat(context).getBean(Switchboard.class).isInstanceOf(RedisEmitter.class));
	}

	@Test
	void appliesInAReactiveWebApplicationOnlyWhenEnabled() {
		ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
			.withConfiguration(EMITTER);
		runner.run((context) -> assertThat(context).doesNotHaveBean(Switchboard.class));
		runner.withPropertyValues("switchboard.emitter.enabled=true")
			.run((context) -> assertThat(context).getBean(Switchboard.class).isInstanceOf(RedisEmitter.class));
	}

	@Test
	void leavesTheSocketServersSwitchboardAloneEvenWhenEnabled() {
		new ReactiveWebApplicationContextRunner().withConfiguration(EMITTER)
			.withConfiguration(
					AutoConfigurations.of(SwitchboardAutoConfiguration.class, WebFluxAutoConfiguration.class))
			.withUserConfiguration(EchoSocket.class)
			.withPropertyValues("switchboard.emitter.enabled=true", "switchboard.registry=memory")
			.run((context) -> {
				assertThat(context).hasSingleBean(Switchboard.class);
				assertThat(context).getBean(Switchboard.class).isNotInstanceOf(RedisEmitter.class);
				assertThat(context).hasSingleBean(SwitchboardServer.class);
			});
	}

	@Test
	void replacesTheSocketServerInAReactiveApplicationWithoutSocketsWhenEnabled() {
		new ReactiveWebApplicationContextRunner().withConfiguration(EMITTER)
			.withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class,
					SwitchboardRedisAutoConfiguration.class, WebFluxAutoConfiguration.class))
			.withPropertyValues("switchboard.emitter.enabled=true", "switchboard.registry=redis",
					// No server there: nothing may reach a Redis this test did not start.
					"spring.data.redis.port=1")
			.run((context) -> {
				assertThat(context).getBean(Switchboard.class).isInstanceOf(RedisEmitter.class);
				assertThat(context).doesNotHaveBean(SwitchboardServer.class);
				assertThat(context).doesNotHaveBean(ConnectionRegistry.class);
			});
	}

	@Test
	void appliesNeitherWhenDisabledNorWithoutRedis() {
		new ApplicationContextRunner().withConfiguration(EMITTER)
			.withPropertyValues("switchboard.emitter.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Switchboard.class));
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(SwitchboardEmitterAutoConfiguration.class, JacksonAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(Switchboard.class));
	}

	@Test
	void backsOffForTheApplicationsOwnSwitchboard() {
		Switchboard own = new RedisEmitter(new LettuceConnectionFactory(),
				new RedisRegistryFactory.Settings("own", Duration.ofSeconds(15), Duration.ofSeconds(2),
						Duration.ofSeconds(1), 500),
				(destination, payload) -> Envelope.message(destination, true, new byte[0]));
		new ApplicationContextRunner().withConfiguration(EMITTER)
			.withBean("ownSwitchboard", Switchboard.class, () -> own)
			.run((context) -> assertThat(context).getBean(Switchboard.class).isSameAs(own));
	}

	/**
	 * A socket of the application.
	 */
	@Socket("echo")
	static class EchoSocket {

		@OnMessage
		String echo(String text) {
			return text;
		}

	}

}
