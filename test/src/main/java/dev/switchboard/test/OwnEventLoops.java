package dev.switchboard.test;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives an application event loops of its own, as a process of its own has. Applications
 * started in one JVM otherwise share Reactor Netty's global loops, which the first of
 * them to stop disposes under the others, closing their connections. Use it with
 * {@code new SpringApplicationBuilder(App.class).initializers(new OwnEventLoops())}.
 *
 * @since 0.1.0
 */
public final class OwnEventLoops implements ApplicationContextInitializer<GenericApplicationContext> {

	@Override
	public void initialize(GenericApplicationContext context) {
		context.registerBean(ReactorResourceFactory.class, () -> {
			ReactorResourceFactory resources = new ReactorResourceFactory();
			resources.setUseGlobalResources(false);
			return resources;
		});
	}

}
