package dev.switchboard.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.runtime.SwitchboardServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code switchboard} health group that docs/multi-instance.md (Health) describes,
 * and that an application starts whether or not the indicator is there.
 */
class HealthGroupTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class, JacksonAutoConfiguration.class,
				WebFluxAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class));

	@Test
	void putsTheRegistryIndicatorInAGroupOfItsOwn() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			HealthEndpointGroup group = context.getBean(HealthEndpointGroups.class).get("switchboard");
			assertThat(group).isNotNull();
			assertThat(group.isMember("switchboardRegistry")).isTrue();
			assertThat(group.isMember("ping")).isFalse();
		});
	}

	@Test
	void letsTheApplicationsSettingsWin() {
		this.runner.withPropertyValues("management.endpoint.health.group.switchboard.include=switchboardRegistry,ping")
			.run((context) -> {
				HealthEndpointGroup group = context.getBean(HealthEndpointGroups.class).get("switchboard");
				assertThat(group.isMember("switchboardRegistry")).isTrue();
				assertThat(group.isMember("ping")).isTrue();
			});
	}

	@Test
	void addsNoGroupWhenTheIndicatorIsDisabled() {
		this.runner.withPropertyValues("management.health.switchboard-registry.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(HealthEndpointGroups.class).get("switchboard")).isNull();
		});
	}

	@Test
	void addsNoGroupWhenDefaultIndicatorsAreOff() {
		this.runner.withPropertyValues("management.health.defaults.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(HealthEndpointGroups.class).get("switchboard")).isNull();
		});
	}

	@Test
	void addsNoGroupToAnApplicationThatLeavesSwitchboardOut() {
		SpringApplication application = new SpringApplicationBuilder(WithoutSwitchboard.class)
			.web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.build();
		try (ConfigurableApplicationContext context = application.run()) {
			assertThat(context.getBeansOfType(SwitchboardServer.class)).isEmpty();
			assertThat(context.getBean(HealthEndpointGroups.class).get("switchboard")).isNull();
		}
	}

	@Test
	void leavesTheIndicatorOutOfTheReadinessGroup() {
		this.runner
			.withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class,
					AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class))
			.withPropertyValues("management.endpoint.health.probes.enabled=true")
			.run((context) -> {
				HealthEndpointGroup readiness = context.getBean(HealthEndpointGroups.class).get("readiness");
				assertThat(readiness).isNotNull();
				assertThat(readiness.isMember("readinessState")).isTrue();
				assertThat(readiness.isMember("switchboardRegistry")).isFalse();
			});
	}

	@Test
	void reportsTheRegistryAndTheInstanceOnlyAndIsAlwaysUpInMemory() {
		this.runner.withPropertyValues("switchboard.instance-id=memory1").run((context) -> {
			Health health = context.getBean("switchboardRegistryHealthIndicator", ReactiveHealthIndicator.class)
				.health()
				.block(Duration.ofSeconds(5));
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails())
				.containsExactlyInAnyOrderEntriesOf(Map.of("registry", "memory", "instance", "memory1"));
		});
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration(exclude = { SwitchboardAutoConfiguration.class, SwitchboardRedisAutoConfiguration.class })
	static class WithoutSwitchboard {

	}

}
