package dev.switchboard.test;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One instance of {@link SwitchboardInstances}: an application context of its own in this
 * JVM, with its own port and event loops.
 *
 * @since 0.1.0
 */
public final class SwitchboardInstance implements AutoCloseable {

	private static final String PORT = "server.port";

	private final Class<?> application;

	private final int index;

	private final Map<String, String> properties;

	private @Nullable ConfigurableApplicationContext context;

	private int port;

	private SwitchboardInstance(Class<?> application, int index, Map<String, String> properties) {
		this.application = application;
		this.index = index;
		this.properties = properties;
	}

	static SwitchboardInstance start(Class<?> application, int index, Map<String, String> properties) {
		Map<String, String> all = new LinkedHashMap<>();
		all.put(PORT, "0");
		all.put("spring.main.banner-mode", "off");
		all.putAll(properties);
		SwitchboardInstance instance = new SwitchboardInstance(application, index, all);
		instance.run(all);
		return instance;
	}

	private void run(Map<String, String> properties) {
		List<String> args = new ArrayList<>();
		properties.forEach((name, value) -> args.add("--" + name + "=" + value));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(this.application)
			.initializers(new OwnEventLoops())
			.run(args.toArray(String[]::new));
		Integer port = context.getEnvironment().getProperty("local.server.port", Integer.class);
		if (port == null) {
			context.close();
			throw new IllegalStateException(this + " started no web server: is it a reactive web application?");
		}
		this.context = context;
		this.port = port;
	}

	/**
	 * The port the instance listens on; a restarted instance keeps it.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * An HTTP URL of the instance.
	 * @param path the path, starting with {@code /}
	 * @return the URL
	 */
	public URI url(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	/**
	 * A WebSocket test client of the instance, to which a test adds a path.
	 * @return the client
	 */
	public SocketTestClient client() {
		return SocketTestClient.bindToPort(this.port);
	}

	/**
	 * A bean of the instance's context, such as its {@code Switchboard}.
	 * @param <T> the bean's type
	 * @param type the bean's type
	 * @return the bean
	 */
	public <T> T bean(Class<T> type) {
		return context().getBean(type);
	}

	/**
	 * The instance's application context.
	 * @return the context
	 * @throws IllegalStateException when the instance is stopped
	 */
	public ConfigurableApplicationContext context() {
		ConfigurableApplicationContext context = this.context;
		if (context == null || !context.isActive()) {
			throw new IllegalStateException(this + " is stopped");
		}
		return context;
	}

	/**
	 * Whether the instance runs.
	 * @return {@code true} from its start until it is stopped
	 */
	public boolean isRunning() {
		ConfigurableApplicationContext context = this.context;
		return context != null && context.isActive();
	}

	/**
	 * Stops the instance gracefully, as a process given SIGTERM would stop: its
	 * connections are closed with 1001 and it leaves the registry.
	 */
	public void stop() {
		ConfigurableApplicationContext context = this.context;
		if (context != null && context.isActive()) {
			context.close();
		}
	}

	/**
	 * Stops the instance if it runs and starts it again, on the same port, with the same
	 * properties.
	 */
	public void restart() {
		stop();
		Map<String, String> properties = new LinkedHashMap<>(this.properties);
		properties.put(PORT, String.valueOf(this.port));
		run(properties);
	}

	/**
	 * Stops the instance if it runs.
	 */
	@Override
	public void close() {
		stop();
	}

	@Override
	public String toString() {
		return "instance " + this.index + " of " + this.application.getSimpleName()
				+ ((this.port > 0) ? " on port " + this.port : "");
	}

}
