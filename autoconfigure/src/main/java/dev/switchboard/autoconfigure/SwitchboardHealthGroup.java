package dev.switchboard.autoconfigure;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Puts Switchboard's health indicator in a health group of its own, {@code switchboard},
 * by default. A Redis outage then shows in that group, not in readiness: it does not take
 * every instance out of a load balancer unless the application adds the group to
 * readiness. Any of the application's own settings of the group win.
 * <p>
 * The group is added only once the indicator's bean is defined, before any bean is
 * created: where the indicator is off, or Switchboard's auto-configuration does not
 * apply, there is no group that names a missing indicator, which Actuator would refuse at
 * startup.
 */
class SwitchboardHealthGroup implements BeanFactoryPostProcessor, EnvironmentAware {

	static final String INDICATOR_BEAN = "switchboardRegistryHealthIndicator";

	static final String INCLUDE_PROPERTY = "management.endpoint.health.group.switchboard.include";

	private @Nullable Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		if (beanFactory.containsBean(INDICATOR_BEAN)
				&& this.environment instanceof ConfigurableEnvironment configurable) {
			configurable.getPropertySources()
				.addLast(new MapPropertySource("switchboardHealthGroup",
						Map.of(INCLUDE_PROPERTY, "switchboardRegistry")));
		}
	}

}
