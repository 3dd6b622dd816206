package dev.switchboard.docs;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.test.OwnEventLoops;

/**
 * Starts the applications that the docs' tests run, each on a random port with event
 * loops of its own and without demo-chat's {@code application.yml}, which is on this
 * class path; and stops them all when closed.
 */
public final class DocsApps implements AutoCloseable {

	private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

	/**
	 * Starts an application.
	 * @param sources its configuration classes and components
	 * @param properties command-line arguments, such as {@code --name=value}
	 * @return the running application
	 */
	public ConfigurableApplicationContext start(List<Class<?>> sources, List<String> properties) {
		List<String> args = new ArrayList<>(
				List.of("--server.port=0", "--spring.main.banner-mode=off", "--spring.config.name=docs"));
		args.addAll(properties);
		ConfigurableApplicationContext app = new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
			.initializers(new OwnEventLoops())
			.run(args.toArray(String[]::new));
		this.apps.add(app);
		return app;
	}

	/**
	 * The port an application listens on.
	 * @param app the application
	 * @return its port
	 */
	public static int port(ConfigurableApplicationContext app) {
		return ((WebServerApplicationContext) app).getWebServer().getPort();
	}

	@Override
	public void close() {
		this.apps.forEach(ConfigurableApplicationContext::close);
		this.apps.clear();
	}

}
