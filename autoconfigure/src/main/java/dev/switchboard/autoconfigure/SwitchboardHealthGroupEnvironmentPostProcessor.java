package dev.switchboard.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Puts Switchboard's health indicator in a health group of its own, {@code switchboard},
 * by default. A Redis outage then shows in that group, not in readiness: it does not take
 * every instance out of a load balancer unless the application adds the group to
 * readiness. Any of the application's own settings of the group win.
 */
class SwitchboardHealthGroupEnvironmentPostProcessor implements EnvironmentPostProcessor {

	private static final String HEALTH = "org.springframework.boot.health.contributor.ReactiveHealthIndicator";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!ClassUtils.isPresent(HEALTH, getClass().getClassLoader())
				|| !environment.getProperty("management.health.switchboard-registry.enabled", Boolean.class, true)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("switchboardHealthGroup",
					Map.of("management.endpoint.health.group.switchboard.include", "switchboardRegistry")));
	}

}
