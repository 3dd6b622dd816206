package dev.switchboard.registry.redis;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.Switchboard;
import dev.switchboard.fixtures.ClusterTestApplication;
import dev.switchboard.test.OwnEventLoops;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

/**
 * An instance of the test application in this JVM, registered in a shared Redis under a
 * key prefix of the test's own.
 */
final class Instance implements AutoCloseable {

	/**
	 * Security stays off; Redis is on (sockets-test.properties switches both off, with a
	 * lower precedence than these arguments).
	 */
	static final String EXCLUDED = "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration";

	private final ConfigurableApplicationContext context;

	private final String id;

	private Instance(ConfigurableApplicationContext context, String id) {
		this.context = context;
		this.id = id;
	}

	/**
	 * The properties of an instance, for this JVM or another one.
	 */
	static Map<String, String> properties(TestRedis redis, String prefix, String id) {
		return properties(Topology.springProperties(redis), prefix, id);
	}

	/**
	 * The properties of an instance whose Redis is given by Boot's properties, such as
	 * those of a Sentinel set-up.
	 */
	static Map<String, String> properties(Map<String, String> redis, String prefix, String id) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("spring.main.banner-mode", "off");
		properties.put("spring.autoconfigure.exclude", EXCLUDED);
		properties.put("switchboard.instance-id", id);
		properties.put("switchboard.redis.key-prefix", prefix);
		properties.put("switchboard.redis.instance-timeout", "3s");
		properties.put("switchboard.redis.command-timeout", "500ms");
		properties.put("management.endpoints.web.exposure.include", "health");
		properties.put("management.endpoint.health.show-details", "always");
		properties.putAll(redis);
		return properties;
	}

	/**
	 * Starts an instance whose key prefix names its own Redis server, for tests that own
	 * one.
	 */
	static Instance start(TestRedis redis, TestRedis owned, String id, String... extra) {
		return start(redis, "p" + owned.port(), id, extra);
	}

	static Instance start(TestRedis redis, String prefix, String id, String... extra) {
		return start(Topology.springProperties(redis), prefix, id, extra);
	}

	/**
	 * Starts an instance whose Redis is given by Boot's properties, such as those of
	 * {@code TestRedisSentinel.springProperties()}.
	 */
	static Instance start(Map<String, String> redis, String prefix, String id, String... extra) {
		Map<String, String> properties = properties(redis, prefix, id);
		for (String property : extra) {
			properties.put(property.substring(0, property.indexOf('=')), property.substring(property.indexOf('=') + 1));
		}
		List<String> args = new ArrayList<>();
		properties.forEach((name, value) -> args.add("--" + name + "=" + value));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ClusterTestApplication.class)
			.initializers(new OwnEventLoops())
			.run(args.toArray(String[]::new));
		return new Instance(context, id);
	}

	String id() {
		return this.id;
	}

	int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	URI uri(String path) {
		return URI.create("ws://localhost:" + port() + path);
	}

	WsClient connect(String path) {
		return WsClient.connect(uri(path));
	}

	Switchboard switchboard() {
		return this.context.getBean(Switchboard.class);
	}

	RedisInstanceLease lease() {
		return this.context.getBean(RedisConnectionRegistry.class).lease();
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	<T> T bean(String name, Class<T> type) {
		return this.context.getBean(name, type);
	}

	/**
	 * Stops the instance, unless it is already stopped: a test may stop it on purpose,
	 * then close it with its other resources.
	 */
	@Override
	public void close() {
		if (this.context.isActive()) {
			this.context.close();
		}
	}

	/**
	 * Closes the instances that started, as a test class's end does.
	 * @param instances the instances, {@code null} for one that did not start
	 */
	static void closeAll(Instance... instances) {
		for (Instance instance : instances) {
			if (instance != null) {
				instance.close();
			}
		}
	}

}
