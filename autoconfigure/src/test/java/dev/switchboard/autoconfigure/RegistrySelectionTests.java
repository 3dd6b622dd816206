package dev.switchboard.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.InMemoryConnectionRegistry;
import dev.switchboard.registry.InMemoryMessageBus;
import dev.switchboard.registry.MessageBus;
import dev.switchboard.registry.redis.RedisConnectionRegistry;
import dev.switchboard.registry.redis.RedisMessageBus;
import dev.switchboard.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which registry {@code switchboard.registry=auto} picks: Redis only when the application
 * configured it, since Boot creates a localhost connection factory on its own.
 */
class RegistrySelectionTests {

	private final TestRedis redis = TestRedis.shared();

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(SwitchboardAutoConfiguration.class, SwitchboardRedisAutoConfiguration.class,
						DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class,
						JacksonAutoConfiguration.class, WebFluxAutoConfiguration.class))
		.withPropertyValues("switchboard.redis.key-prefix=selection", "switchboard.redis.command-timeout=500ms");

	@Test
	void usesMemoryWhenRedisIsNotExplicitlyConfigured() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(LettuceConnectionFactory.class);
			assertThat(context.getBean(ConnectionRegistry.class)).isInstanceOf(InMemoryConnectionRegistry.class);
		});
	}

	@Test
	void usesRedisWhenSpringDataRedisPropertiesAreSet() {
		this.runner.withPropertyValues("spring.data.redis.port=" + this.redis.port()).run((context) -> {
			assertThat(context.getBean(ConnectionRegistry.class)).isInstanceOf(RedisConnectionRegistry.class);
			assertThat(context).hasSingleBean(RedisMessageBus.class).doesNotHaveBean(InMemoryConnectionRegistry.class);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "username=app", "password=secret", "database=1" })
	void usesRedisWhenAPropertySaysHowToLogIn(String property) {
		this.runner.withPropertyValues("spring.data.redis." + property)
			.run((context) -> assertThat(context.getBean(ConnectionRegistry.class))
				.isInstanceOf(RedisConnectionRegistry.class));
	}

	@Test
	void usesRedisWhenAUrlLocatesTheServer() {
		this.runner.withPropertyValues("spring.data.redis.url=redis://localhost:" + this.redis.port())
			.run((context) -> assertThat(context.getBean(ConnectionRegistry.class))
				.isInstanceOf(RedisConnectionRegistry.class));
	}

	@Test
	void usesMemoryWhenOnlyPropertiesThatLocateNoServerAreSet() {
		this.runner
			.withPropertyValues("spring.data.redis.repositories.enabled=false", "spring.data.redis.timeout=2s",
					"spring.data.redis.lettuce.shutdown-timeout=0")
			.run((context) -> assertThat(context.getBean(ConnectionRegistry.class))
				.isInstanceOf(InMemoryConnectionRegistry.class));
	}

	@Test
	void usesRedisWhenTheApplicationDefinesAConnectionFactory() {
		this.runner.withUserConfiguration(OwnConnectionFactory.class)
			.run((context) -> assertThat(context.getBean(ConnectionRegistry.class))
				.isInstanceOf(RedisConnectionRegistry.class));
	}

	@Test
	void usesRedisWhenConnectionDetailsComeFromElsewhereAsWithAServiceConnection() {
		this.runner.withUserConfiguration(OwnConnectionDetails.class)
			.run((context) -> assertThat(context.getBean(ConnectionRegistry.class))
				.isInstanceOf(RedisConnectionRegistry.class));
	}

	@Test
	void usesMemoryWhenToldToWhateverTheConfiguration() {
		this.runner.withPropertyValues("switchboard.registry=memory", "spring.data.redis.port=" + this.redis.port())
			.run((context) -> assertThat(context.getBean(ConnectionRegistry.class))
				.isInstanceOf(InMemoryConnectionRegistry.class));
	}

	@Test
	void usesRedisWhenToldTo() {
		this.runner.withPropertyValues("switchboard.registry=redis", "spring.data.redis.port=" + this.redis.port())
			.run((context) -> assertThat(context.getBean(ConnectionRegistry.class))
				.isInstanceOf(RedisConnectionRegistry.class));
	}

	@Test
	void usesBootsDefaultServerWhenToldToUseRedisWithoutProperties() {
		this.runner.withPropertyValues("switchboard.registry=redis").run((context) -> {
			assertThat(context.getBean(ConnectionRegistry.class)).isInstanceOf(RedisConnectionRegistry.class);
			LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
			assertThat(factory.getHostName()).isEqualTo("localhost");
			assertThat(factory.getPort()).isEqualTo(6379);
		});
	}

	@Test
	void explainsThatTheRedisRegistryNeedsSpringDataRedis() {
		this.runner.withPropertyValues("switchboard.registry=redis")
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("add spring-boot-starter-data-redis-reactive"));
	}

	@Test
	void refusesAKeyPrefixWithBraces() {
		this.runner
			.withPropertyValues("spring.data.redis.port=" + this.redis.port(), "switchboard.redis.key-prefix={x}")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("free of braces"));
	}

	@Test
	void refusesAnEmptyKeyPrefix() {
		this.runner.withPropertyValues("spring.data.redis.port=" + this.redis.port(), "switchboard.redis.key-prefix=")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("switchboard.redis.key-prefix '' must be non-empty"));
	}

	@Test
	void usesTheApplicationsOwnBusAndTheInMemoryRegistryEvenWithRedisConfigured() {
		this.runner.withPropertyValues("spring.data.redis.port=" + this.redis.port())
			.withBean("ownBus", MessageBus.class, InMemoryMessageBus::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(MessageBus.class)
					.doesNotHaveBean(RedisConnectionRegistry.class)
					.doesNotHaveBean(RedisMessageBus.class);
				assertThat(context.getBean(MessageBus.class)).isSameAs(context.getBean("ownBus"));
				assertThat(context.getBean(ConnectionRegistry.class)).isInstanceOf(InMemoryConnectionRegistry.class);
			});
	}

	@Test
	void usesTheApplicationsOwnRegistryEvenWithRedisConfigured() {
		this.runner.withPropertyValues("spring.data.redis.port=" + this.redis.port())
			.withBean("ownRegistry", ConnectionRegistry.class, InMemoryConnectionRegistry::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(ConnectionRegistry.class).doesNotHaveBean(RedisMessageBus.class);
				assertThat(context.getBean(ConnectionRegistry.class)).isSameAs(context.getBean("ownRegistry"));
			});
	}

	@Test
	void refusesACommandTimeoutThatDoesNotFitInAHeartbeat() {
		this.runner
			.withPropertyValues("spring.data.redis.port=" + this.redis.port(), "switchboard.redis.instance-timeout=3s",
					"switchboard.redis.command-timeout=1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("must be shorter than a third of switchboard.redis.instance-timeout"));
	}

	@Test
	void refusesAPurgeBatchSizeThatIsNotPositive() {
		this.runner
			.withPropertyValues("spring.data.redis.port=" + this.redis.port(), "switchboard.redis.purge-batch-size=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("switchboard.redis.purge-batch-size must be positive"));
	}

	@Test
	void refusesAReconnectIntervalThatIsNotPositive() {
		this.runner
			.withPropertyValues("spring.data.redis.port=" + this.redis.port(), "switchboard.redis.reconnect-interval=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("switchboard.redis.reconnect-interval must be positive"));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnConnectionFactory {

		@Bean
		LettuceConnectionFactory redisConnectionFactory() {
			return new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("localhost", TestRedis.shared().port()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnConnectionDetails {

		@Bean
		DataRedisConnectionDetails redisConnectionDetails() {
			int port = TestRedis.shared().port();
			return new DataRedisConnectionDetails() {

				@Override
				public Standalone getStandalone() {
					return Standalone.of("localhost", port);
				}

			};
		}

	}

}
