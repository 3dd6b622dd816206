package dev.switchboard.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServer;

import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.MessageBus;
import dev.switchboard.registry.StreamHistory;
import dev.switchboard.registry.redis.RedisConnectionRegistry;
import dev.switchboard.registry.redis.RedisInstanceLease;
import dev.switchboard.registry.redis.RedisMessageBus;
import dev.switchboard.registry.redis.RedisRegistryFactory;
import dev.switchboard.runtime.SwitchboardServer;

/**
 * Auto-configuration of the Redis registry and message bus: used when
 * {@code switchboard.registry=redis}, or with the default {@code auto} when Redis is
 * explicitly configured. Standalone, Sentinel and Cluster work as Spring Data Redis
 * configures them. An application that defines its own {@link ConnectionRegistry} or
 * {@link MessageBus} uses them instead.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = SwitchboardAutoConfiguration.class,
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration" })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnClass({ ReactiveRedisConnectionFactory.class, ReactiveRedisTemplate.class, HttpServer.class })
@ConditionalOnBean(ReactiveRedisConnectionFactory.class)
@Conditional({ OnRedisRegistryCondition.class, OnSocketServerCondition.class })
@ConditionalOnMissingBean({ ConnectionRegistry.class, MessageBus.class })
@EnableConfigurationProperties(SwitchboardProperties.class)
public final class SwitchboardRedisAutoConfiguration {

	// The registry owns this instance's lease, which its lifecycle takes before the
	// socket server starts and gives back once the server has stopped.
	@Bean
	@ConditionalOnMissingBean
	RedisConnectionRegistry switchboardRedisRegistry(ReactiveRedisConnectionFactory connectionFactory,
			SwitchboardProperties properties) {
		SwitchboardProperties.Redis redis = properties.getRedis();
		return RedisRegistryFactory.create(connectionFactory, SwitchboardAutoConfiguration.instanceId(properties),
				redis.settings());
	}

	// The bus shares the registry's connection and view of Redis.
	@Bean
	@ConditionalOnMissingBean
	RedisMessageBus switchboardRedisBus(RedisConnectionRegistry registry) {
		return registry.messageBus();
	}

	// The history shares the registry's connection and view of Redis.
	@Bean
	@ConditionalOnMissingBean
	StreamHistory switchboardStreamHistory(RedisConnectionRegistry registry) {
		return registry.streamHistory();
	}

	// The endpoint's condition is on its bean, as in SwitchboardAutoConfiguration.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	static class EndpointConfiguration {

		// Reads the cluster's figures from Redis; SwitchboardAutoConfiguration adds the
		// web extension.
		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint(SwitchboardEndpoint.class)
		SwitchboardEndpoint switchboardEndpoint(SwitchboardServer server, RedisConnectionRegistry registry) {
			return new SwitchboardEndpoint(server, new RedisEndpointRegistry(registry));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveHealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("switchboard-registry")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "switchboardRegistryHealthIndicator")
		ReactiveHealthIndicator switchboardRegistryHealthIndicator(RedisConnectionRegistry registry) {
			RedisInstanceLease lease = registry.lease();
			return () -> {
				RedisInstanceLease.State state = lease.state();
				Health.Builder health = (state.reason() == null) ? Health.up() : Health.down();
				health.withDetail("registry", "redis")
					.withDetail("instance", state.instance())
					.withDetail("redis", state.redis())
					.withDetail("leaseHeld", state.leaseHeld())
					.withDetail("since", state.since().toString());
				if (state.reason() != null) {
					health.withDetail("reason", state.reason());
				}
				if (state.failure() != null) {
					health.withDetail("error", state.failure());
				}
				if (!state.reachable()) {
					return Mono.just(health.build());
				}
				return lease.liveInstances()
					.map((count) -> health.withDetail("instances", count).build())
					.onErrorResume((ex) -> Mono.just(health.down()
						.withDetail("reason", reasonAfter(lease))
						.withDetail("error", String.valueOf(ex.getMessage()))
						.build()));
			};
		}

		// Counting the instances failed: Redis became unreachable meanwhile, or the
		// server began to shut down.
		private static String reasonAfter(RedisInstanceLease lease) {
			String reason = lease.state().reason();
			return (reason != null) ? reason : "redis-unreachable";
		}

	}

}
