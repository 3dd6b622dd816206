package dev.switchboard.test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Runs the Redis server of a {@link SwitchboardRedis} test class: one per class, started
 * by whichever asks first, the JUnit extension or the Spring context, and stopped when
 * JUnit is done with the class.
 */
final class SwitchboardRedisExtension
		implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(SwitchboardRedisExtension.class);

	private static final Map<Class<?>, TestRedis> servers = new ConcurrentHashMap<>();

	// The server of the class whose tests run on this thread, for the instances they
	// start without naming one.
	private static final ThreadLocal<TestRedis> current = new ThreadLocal<>();

	/**
	 * The server of the {@link SwitchboardRedis} class whose tests run on this thread.
	 * @return the server, or {@code null} outside such a class
	 */
	static @Nullable TestRedis current() {
		return current.get();
	}

	static TestRedis serverOf(Class<?> testClass) {
		return servers.computeIfAbsent(owner(testClass), (key) -> TestRedis.startNew());
	}

	// The outermost annotated class: a @Nested class shares its enclosing class's server.
	private static Class<?> owner(Class<?> testClass) {
		Class<?> owner = testClass;
		for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
			if (type.isAnnotationPresent(SwitchboardRedis.class)) {
				owner = type;
			}
		}
		return owner;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		Class<?> testClass = context.getRequiredTestClass();
		current.set(serverOf(testClass));
		if (owner(testClass) != testClass) {
			return;
		}
		// JUnit closes what its store holds once the class is done, after the Spring
		// extension closed the class's application context.
		context.getStore(NAMESPACE).put(testClass, (AutoCloseable) () -> {
			TestRedis redis = servers.remove(testClass);
			current.remove();
			if (redis != null) {
				redis.close();
			}
		});
	}

	// Tests may run on other threads than the class's callbacks (parallel execution).
	@Override
	public void beforeEach(ExtensionContext context) {
		current.set(serverOf(context.getRequiredTestClass()));
	}

	@Override
	public void afterEach(ExtensionContext context) {
		current.remove();
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
		// The Spring extension resolves @Autowired parameters: leave those to it.
		return parameter.getParameter().getType() == TestRedis.class && !parameter.isAnnotated(Autowired.class);
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
		return serverOf(extension.getRequiredTestClass());
	}

	/**
	 * Points the test's application context at the class's server.
	 */
	static final class PropertiesFactory implements ContextCustomizerFactory {

		@Override
		public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
				List<ContextConfigurationAttributes> configAttributes) {
			return new RedisProperties(testClass);
		}

	}

	/**
	 * Adds the server's {@code spring.data.redis.*} properties ahead of the others. It
	 * names the test class, so that no other class's context is taken for its.
	 *
	 * @param testClass the test class
	 */
	private record RedisProperties(Class<?> testClass) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration configuration) {
			Map<String, Object> properties = Map.copyOf(serverOf(this.testClass).springProperties());
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("switchboardRedis", properties));
		}

	}

}
