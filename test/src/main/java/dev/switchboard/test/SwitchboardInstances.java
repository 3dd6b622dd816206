package dev.switchboard.test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several instances of an application in this JVM, for tests of what happens across
 * instances: each is an application context of its own, on a random port
 * ({@code server.port=0}), with Reactor Netty event loops of its own (see
 * {@link OwnEventLoops}), so that stopping one leaves the others' connections alone.
 * Pointed at one Redis, with {@link Builder#redis(TestRedis)} or
 * {@code spring.data.redis.*} properties, they share Switchboard's registry as separate
 * processes would; in a {@link SwitchboardRedis} test class, instances given neither use
 * the class's server. <pre class="code">
 * try (SwitchboardInstances instances = SwitchboardInstances.of(ChatApplication.class)
 *         .redis(redis)
 *         .start(2)) {
 *     SocketTestSession ann = instances.get(0).client().path("/ws/chat").connect();
 *     instances.get(1).bean(Switchboard.class).toUser("ann").send(notice).block();
 * }
 * </pre>
 *
 * @since 0.1.0
 */
public final class SwitchboardInstances implements AutoCloseable, Iterable<SwitchboardInstance> {

	private final List<SwitchboardInstance> instances;

	private SwitchboardInstances(List<SwitchboardInstance> instances) {
		this.instances = instances;
	}

	/**
	 * Starts instances of an application, one after the other; in a
	 * {@link SwitchboardRedis} test class, pointed at the class's Redis unless the
	 * properties name another.
	 * @param application the application's class, as given to {@code SpringApplication}
	 * @param count how many
	 * @param properties the Spring properties as {@code name=value}, given to every
	 * instance
	 * @return the running instances
	 */
	public static SwitchboardInstances start(Class<?> application, int count, String... properties) {
		return of(application).properties(properties).start(count);
	}

	/**
	 * Describes instances of an application to start.
	 * @param application the application's class, as given to {@code SpringApplication}
	 * @return a builder
	 */
	public static Builder of(Class<?> application) {
		return new Builder(application);
	}

	/**
	 * One of the instances.
	 * @param index its index, from 0, in the order they started
	 * @return the instance
	 */
	public SwitchboardInstance get(int index) {
		return this.instances.get(index);
	}

	/**
	 * How many instances there are, running or stopped.
	 * @return the number of instances
	 */
	public int size() {
		return this.instances.size();
	}

	@Override
	public Iterator<SwitchboardInstance> iterator() {
		return this.instances.iterator();
	}

	/**
	 * Stops every instance still running.
	 */
	@Override
	public void close() {
		closeAll(this.instances);
	}

	private static void closeAll(List<SwitchboardInstance> instances) {
		RuntimeException failure = null;
		for (SwitchboardInstance instance : instances) {
			try {
				instance.close();
			}
			catch (RuntimeException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	/**
	 * Instances of an application to start.
	 */
	public static final class Builder {

		private static final String REDIS = "spring.data.redis.";

		private final Class<?> application;

		private final Map<String, String> properties = new LinkedHashMap<>();

		private Builder(Class<?> application) {
			this.application = application;
		}

		/**
		 * Adds Spring properties, given to every instance with the precedence of
		 * command-line arguments.
		 * @param properties the properties as {@code name=value}
		 * @return this builder
		 */
		public Builder properties(String... properties) {
			for (String property : properties) {
				int equals = property.indexOf('=');
				if (equals <= 0) {
					throw new IllegalArgumentException("Expected name=value, got '" + property + "'");
				}
				this.properties.put(property.substring(0, equals), property.substring(equals + 1));
			}
			return this;
		}

		/**
		 * Adds Spring properties, given to every instance with the precedence of
		 * command-line arguments.
		 * @param properties the properties
		 * @return this builder
		 */
		public Builder properties(Map<String, String> properties) {
			this.properties.putAll(properties);
			return this;
		}

		/**
		 * Points every instance at a Redis server, which makes Switchboard's {@code auto}
		 * registry choose Redis.
		 * @param redis the server
		 * @return this builder
		 */
		public Builder redis(TestRedis redis) {
			return properties(redis.springProperties());
		}

		/**
		 * Starts the instances, one after the other; stops those started when one fails.
		 * In a {@link SwitchboardRedis} test class, instances given no
		 * {@code spring.data.redis.*} property are pointed at the class's server.
		 * @param count how many, at least one
		 * @return the running instances
		 */
		public SwitchboardInstances start(int count) {
			if (count < 1) {
				throw new IllegalArgumentException("Expected at least one instance, got " + count);
			}
			Map<String, String> properties = new LinkedHashMap<>(this.properties);
			TestRedis classRedis = SwitchboardRedisExtension.current();
			if (classRedis != null && properties.keySet().stream().noneMatch((name) -> name.startsWith(REDIS))) {
				properties.putAll(classRedis.springProperties());
			}
			List<SwitchboardInstance> started = new ArrayList<>();
			try {
				for (int i = 0; i < count; i++) {
					started.add(SwitchboardInstance.start(this.application, i, properties));
				}
			}
			catch (RuntimeException | Error ex) {
				try {
					closeAll(started);
				}
				catch (RuntimeException closing) {
					ex.addSuppressed(closing);
				}
				throw ex;
			}
			return new SwitchboardInstances(Collections.unmodifiableList(started));
		}

	}

}
