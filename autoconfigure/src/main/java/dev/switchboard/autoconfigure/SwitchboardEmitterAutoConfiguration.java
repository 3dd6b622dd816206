package dev.switchboard.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.Switchboard;
import dev.switchboard.handler.support.MessageCodec;
import dev.switchboard.handler.support.OutboundMessage;
import dev.switchboard.registry.Envelope;
import dev.switchboard.registry.redis.RedisEmitter;
import dev.switchboard.registry.redis.RedisRegistryFactory;

/**
 * Auto-configuration of the send-only {@link Switchboard} of a process that serves no
 * sockets (a batch job, a queue consumer, a Servlet application): a {@link RedisEmitter}
 * that sends through Redis to the instances that do. It applies when the application has
 * a Redis connection and is not a reactive web application, or when
 * {@code switchboard.emitter.enabled=true}; never where the socket-serving
 * auto-configuration has provided its own {@code Switchboard}. It uses no WebFlux type,
 * so that {@code switchboard-emitter} can leave WebFlux out.
 *
 * @since 0.1.0
 */
// After the socket-serving auto-configuration, by name: its class refers to WebFlux,
// which the emitter's class path lacks.
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
		"dev.switchboard.autoconfigure.SwitchboardAutoConfiguration" })
@ConditionalOnClass({ ReactiveRedisConnectionFactory.class, ReactiveRedisTemplate.class, JsonMapper.class })
@ConditionalOnBooleanProperty(name = "switchboard.emitter.enabled", matchIfMissing = true)
@Conditional(SwitchboardEmitterAutoConfiguration.OnEmitterApplication.class)
@ConditionalOnBean(ReactiveRedisConnectionFactory.class)
@ConditionalOnMissingBean(Switchboard.class)
@EnableConfigurationProperties(SwitchboardProperties.class)
public final class SwitchboardEmitterAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(Switchboard.class)
	RedisEmitter switchboard(ReactiveRedisConnectionFactory connectionFactory, SwitchboardProperties properties,
			ObjectProvider<JsonMapper> jsonMapper) {
		// Payloads encoded as the instances encode them: the application's JSON mapper.
		MessageCodec codec = new MessageCodec(jsonMapper.getIfAvailable(JsonMapper::new), properties.getTypeField());
		SwitchboardProperties.Redis redis = properties.getRedis();
		RedisRegistryFactory.Settings settings = redis.settings();
		return new RedisEmitter(connectionFactory, settings, (destination, payload) -> {
			OutboundMessage message = codec.encode(payload);
			return Envelope.message(destination, message.isText(), message.bytes());
		});
	}

	/**
	 * Matches an application that is not a reactive web application, or one that asks for
	 * the emitter explicitly.
	 */
	static final class OnEmitterApplication extends AnyNestedCondition {

		OnEmitterApplication() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBooleanProperty("switchboard.emitter.enabled")
		static final class ExplicitlyEnabled {

		}

		@ConditionalOnNotWebApplication
		static final class NotAWebApplication {

		}

		@ConditionalOnWebApplication(type = Type.SERVLET)
		static final class ServletWebApplication {

		}

	}

}
