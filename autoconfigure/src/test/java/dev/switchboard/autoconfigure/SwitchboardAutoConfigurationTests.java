package dev.switchboard.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.SocketAuthenticator;
import dev.switchboard.Switchboard;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;
import dev.switchboard.handler.support.MessageCodec;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.InMemoryConnectionRegistry;
import dev.switchboard.registry.InMemoryMessageBus;
import dev.switchboard.registry.MessageBus;
import dev.switchboard.runtime.ServerSettings;
import dev.switchboard.runtime.SwitchboardMetrics;
import dev.switchboard.runtime.SwitchboardServer;

import static org.assertj.core.api.Assertions.assertThat;

class SwitchboardAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class, JacksonAutoConfiguration.class,
				WebFluxAutoConfiguration.class))
		.withUserConfiguration(Sockets.class);

	@Test
	void servesTheSocketsWithAnInMemoryRegistryByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(Switchboard.class)
				.hasSingleBean(SwitchboardServer.class)
				.hasSingleBean(InMemoryConnectionRegistry.class)
				.hasSingleBean(InMemoryMessageBus.class)
				.as("internal parts are not beans")
				.doesNotHaveBean(MessageCodec.class)
				.doesNotHaveBean(ServerSettings.class);
			SimpleUrlHandlerMapping mapping = context.getBean("switchboardHandlerMapping",
					SimpleUrlHandlerMapping.class);
			// The browser client is served next to the sockets named under the prefix.
			assertThat(mapping.getUrlMap()).containsOnlyKeys("/ws/chat", "/live/feed", "/ws/switchboard.js");
			assertThat(mapping.getOrder()).isNegative();
		});
	}

	@Test
	void derivesPathsFromTheConfiguredPrefix() {
		this.runner.withPropertyValues("switchboard.path-prefix=/sockets").run((context) -> {
			SimpleUrlHandlerMapping mapping = context.getBean("switchboardHandlerMapping",
					SimpleUrlHandlerMapping.class);
			assertThat(mapping.getUrlMap()).containsOnlyKeys("/sockets/chat", "/live/feed", "/sockets/switchboard.js");
		});
	}

	@Test
	void usesTheApplicationsJsonMapper() {
		this.runner.run(
				(context) -> assertThat(context.getBean(SwitchboardServer.class).codec().encode(Map.of("a", 1)).bytes())
					.isEqualTo(context.getBean(JsonMapper.class).writeValueAsBytes(Map.of("a", 1))));
	}

	@Test
	void usesADefaultJsonMapperWhenTheApplicationHasNone() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(SwitchboardAutoConfiguration.class, WebFluxAutoConfiguration.class))
			.withUserConfiguration(Sockets.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(JsonMapper.class);
				assertThat(context.getBean(SwitchboardServer.class).codec().encode(Map.of("a", 1)).bytes())
					.isEqualTo("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
			});
	}

	@Test
	void backsOffTheHealthIndicatorForTheApplicationsOwnOfThatName() {
		ReactiveHealthIndicator own = () -> Mono.just(Health.up().build());
		this.runner.run((context) -> assertThat(context).hasBean("switchboardRegistryHealthIndicator"));
		this.runner.withBean("switchboardRegistryHealthIndicator", ReactiveHealthIndicator.class, () -> own)
			.run((context) -> {
				assertThat(context).hasSingleBean(ReactiveHealthIndicator.class);
				assertThat(context.getBean("switchboardRegistryHealthIndicator")).isSameAs(own);
			});
	}

	@Test
	void usesTheTokenAuthenticatorMarkedPrimary() {
		SocketAuthenticator primary = (token, handshake) -> Mono.empty();
		this.runner.withBean("one", SocketAuthenticator.class, () -> (token, handshake) -> Mono.empty())
			.withBean("two", SocketAuthenticator.class, () -> primary, (definition) -> definition.setPrimary(true))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(SwitchboardServer.class));
	}

	@Test
	void backsOffWhenTheApplicationDefinesItsOwnBeans() {
		this.runner.withUserConfiguration(OwnBeans.class).run((context) -> {
			assertThat(context).hasSingleBean(ConnectionRegistry.class).hasSingleBean(MessageBus.class);
			assertThat(context.getBean(ConnectionRegistry.class)).isSameAs(context.getBean("ownRegistry"));
			assertThat(context.getBean(MessageBus.class)).isSameAs(context.getBean("ownBus"));
			assertThat(context.getBean(Switchboard.class)).isSameAs(context.getBean("ownSwitchboard"));
		});
	}

	@Test
	void isNotAppliedToServletApplications() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class))
			.withUserConfiguration(Sockets.class)
			.run((context) -> assertThat(context).doesNotHaveBean(SwitchboardServer.class));
	}

	@Test
	void isNotAppliedWithoutReactorNetty() {
		this.runner.withClassLoader(new FilteredClassLoader(HttpServer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SwitchboardServer.class));
	}

	@Test
	void failsWhenTheRedisRegistryIsRequestedWithoutRedis() {
		this.runner.withPropertyValues("switchboard.registry=redis")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("switchboard.registry=redis needs Spring Data Redis"));
	}

	@Test
	void refusesAnInstanceIdThatWouldBreakConnectionIds() {
		this.runner.withPropertyValues("switchboard.instance-id=a.b")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("switchboard.instance-id 'a.b' must be made of letters"));
	}

	@Test
	void failsOnTwoTokenAuthenticators() {
		this.runner
			.withBean("one", dev.switchboard.SocketAuthenticator.class,
					() -> (token, handshake) -> reactor.core.publisher.Mono.empty())
			.withBean("two", dev.switchboard.SocketAuthenticator.class,
					() -> (token, handshake) -> reactor.core.publisher.Mono.empty())
			.run((context) -> assertThat(context).getFailure()
				.hasRootCauseInstanceOf(org.springframework.beans.factory.NoUniqueBeanDefinitionException.class));
	}

	@Test
	void recordsMetricsWhenAMeterRegistryExists() {
		this.runner.withUserConfiguration(Meters.class)
			.run((context) -> assertThat(context).hasSingleBean(SwitchboardMetrics.class));
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SwitchboardMetrics.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class Sockets {

		@Bean
		Chat chat() {
			return new Chat();
		}

		@Bean
		Feed feed() {
			return new Feed();
		}

	}

	@Socket("chat")
	static class Chat {

		@OnMessage
		String echo(String text) {
			return text;
		}

	}

	@Socket(name = "feed", path = "/live/feed")
	static class Feed {

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBeans {

		@Bean
		ConnectionRegistry ownRegistry() {
			return new InMemoryConnectionRegistry();
		}

		@Bean
		MessageBus ownBus() {
			return new InMemoryMessageBus();
		}

		@Bean
		Switchboard ownSwitchboard(SwitchboardServer server) {
			return server.switchboard();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Meters {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
