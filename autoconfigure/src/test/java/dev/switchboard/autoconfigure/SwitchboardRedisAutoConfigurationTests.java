package dev.switchboard.autoconfigure;

import java.util.Arrays;
import java.util.Objects;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import reactor.core.publisher.Mono;

import dev.switchboard.registry.MessageBus;
import dev.switchboard.registry.StreamHistory;
import dev.switchboard.registry.redis.RedisConnectionRegistry;
import dev.switchboard.registry.redis.RedisMessageBus;
import dev.switchboard.registry.redis.RedisStreamHistory;
import dev.switchboard.runtime.SwitchboardServer;
import dev.switchboard.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis registry's beans: the registry and its bus, whose internals are not beans,
 * and the registry's lifecycle, which holds this instance's lease while the socket server
 * runs.
 */
class SwitchboardRedisAutoConfigurationTests {

	private final TestRedis redis = TestRedis.shared();

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(SwitchboardAutoConfiguration.class, SwitchboardRedisAutoConfiguration.class,
						DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class,
						JacksonAutoConfiguration.class, WebFluxAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.port=" + this.redis.port(), "switchboard.redis.key-prefix=beans",
				"switchboard.instance-id=solo", "switchboard.redis.command-timeout=500ms");

	@Test
	void definesOnlyTheRegistryItsBusAndItsHistoryAsRedisBeans() {
		this.runner.run((context) -> {
			RedisConnectionRegistry registry = context.getBean(RedisConnectionRegistry.class);
			assertThat(context.getBean(MessageBus.class)).isSameAs(registry.messageBus());
			assertThat(context.getBean(StreamHistory.class)).isSameAs(registry.streamHistory());
			assertThat(Arrays.stream(context.getBeanDefinitionNames())
				.map(context::getType)
				.filter(Objects::nonNull)
				.filter((type) -> type.getPackageName().equals(RedisConnectionRegistry.class.getPackageName())))
				.containsExactlyInAnyOrder(RedisConnectionRegistry.class, RedisMessageBus.class,
						RedisStreamHistory.class);
		});
	}

	@Test
	void holdsTheLeaseFromBeforeTheSocketServerStartsUntilAfterItStops() {
		this.runner.run((context) -> {
			RedisConnectionRegistry registry = context.getBean(RedisConnectionRegistry.class);
			assertThat(registry.isRunning()).isTrue();
			assertThat(registry.lease().state().leaseHeld()).isTrue();
			assertThat(this.redis.command("ZSCORE", "{beans}:instances", "solo")).isNotEqualTo("(nil)");
			assertThat(registry.getPhase()).isLessThan(context.getBean(SwitchboardServer.class).getPhase());
			context.close();
			assertThat(registry.isRunning()).isFalse();
			assertThat(this.redis.command("ZSCORE", "{beans}:instances", "solo")).isEqualTo("(nil)");
		});
	}

	@Test
	void backsOffTheHealthIndicatorForTheApplicationsOwnOfThatName() {
		ReactiveHealthIndicator own = () -> Mono.just(Health.up().build());
		this.runner.run((context) -> assertThat(context).hasBean("switchboardRegistryHealthIndicator")
			.getBean("switchboardRegistryHealthIndicator")
			.isNotSameAs(own));
		this.runner.withBean("switchboardRegistryHealthIndicator", ReactiveHealthIndicator.class, () -> own)
			.run((context) -> {
				assertThat(context).hasSingleBean(ReactiveHealthIndicator.class);
				assertThat(context.getBean("switchboardRegistryHealthIndicator")).isSameAs(own);
			});
	}

}
