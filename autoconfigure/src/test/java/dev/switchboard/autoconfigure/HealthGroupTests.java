package dev.switchboard.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class HealthGroupTests {

	private final SwitchboardHealthGroupEnvironmentPostProcessor postProcessor = new SwitchboardHealthGroupEnvironmentPostProcessor();

	@Test
	void putsTheRegistryIndicatorInAGroupOfItsOwn() {
		MockEnvironment environment = new MockEnvironment();
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.endpoint.health.group.switchboard.include"))
			.isEqualTo("switchboardRegistry");
	}

	@Test
	void letsTheApplicationsSettingsWin() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("management.endpoint.health.group.switchboard.include", "switchboardRegistry,redis");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.endpoint.health.group.switchboard.include"))
			.isEqualTo("switchboardRegistry,redis");
	}

	@Test
	void addsNoGroupWhenTheIndicatorIsDisabled() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("management.health.switchboard-registry.enabled", "false");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.endpoint.health.group.switchboard.include")).isNull();
	}

}
