package dev.switchboard.autoconfigure;

import java.util.List;
import java.util.stream.Stream;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

import dev.switchboard.autoconfigure.SwitchboardProperties.Registry;

/**
 * Matches when connections are to be registered in Redis:
 * {@code switchboard.registry=redis}, or {@code auto} with Redis explicitly configured,
 * through the {@code spring.data.redis} properties that say where the server is
 * ({@code url}, {@code host}, {@code port}, {@code sentinel.*} and the like, not
 * {@code repositories.enabled} or the client's tuning) or connection beans of the
 * application's own. Boot creates a localhost connection factory whenever Spring Data
 * Redis is present, so its presence proves nothing.
 */
class OnRedisRegistryCondition extends SpringBootCondition implements ConfigurationCondition {

	// Evaluated once the application's bean definitions are registered, like
	// @ConditionalOnBean.
	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	// The spring.data.redis properties that locate a server or log in to it: setting one
	// means a Redis is meant to be used.
	private static final List<ConfigurationPropertyName> LOCATING_PROPERTIES = Stream
		.of("url", "host", "port", "username", "password", "database", "sentinel", "cluster", "masterreplica")
		.map((name) -> ConfigurationPropertyName.of("spring.data.redis." + name))
		.toList();

	private static final String BOOT_PACKAGE = "org.springframework.boot.data.redis.autoconfigure.";

	private static final String[] CONNECTION_TYPES = {
			"org.springframework.data.redis.connection.RedisConnectionFactory",
			"org.springframework.data.redis.connection.ReactiveRedisConnectionFactory",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails" };

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Registry registry = Binder.get(context.getEnvironment())
			.bind("switchboard.registry", Registry.class)
			.orElse(Registry.AUTO);
		if (registry != Registry.AUTO) {
			return new ConditionOutcome(registry == Registry.REDIS, "switchboard.registry is " + registry);
		}
		if (hasRedisProperties(context.getEnvironment())) {
			return ConditionOutcome.match("spring.data.redis properties are set");
		}
		String bean = userDefinedConnectionBean(context);
		if (bean != null) {
			return ConditionOutcome.match("the application defines the Redis connection bean '" + bean + "'");
		}
		return ConditionOutcome.noMatch("Redis is not explicitly configured");
	}

	private static boolean hasRedisProperties(Environment environment) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable
					&& iterable.stream().anyMatch(OnRedisRegistryCondition::locatesRedis)) {
				return true;
			}
		}
		return false;
	}

	private static boolean locatesRedis(ConfigurationPropertyName property) {
		return LOCATING_PROPERTIES.stream()
			.anyMatch((locating) -> locating.equals(property) || locating.isAncestorOf(property));
	}

	private static String userDefinedConnectionBean(ConditionContext context) {
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		if (beanFactory == null) {
			return null;
		}
		for (String typeName : CONNECTION_TYPES) {
			if (!ClassUtils.isPresent(typeName, context.getClassLoader())) {
				continue;
			}
			Class<?> type = ClassUtils.resolveClassName(typeName, context.getClassLoader());
			for (String name : beanFactory.getBeanNamesForType(type, true, false)) {
				if (!isBootDefault(beanFactory.getMergedBeanDefinition(name))) {
					return name;
				}
			}
		}
		return null;
	}

	private static boolean isBootDefault(BeanDefinition definition) {
		if (definition instanceof AnnotatedBeanDefinition annotated && annotated.getFactoryMethodMetadata() != null) {
			return annotated.getFactoryMethodMetadata().getDeclaringClassName().startsWith(BOOT_PACKAGE);
		}
		String className = definition.getBeanClassName();
		return className != null && className.startsWith(BOOT_PACKAGE);
	}

}
