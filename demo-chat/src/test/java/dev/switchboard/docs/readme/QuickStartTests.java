package dev.switchboard.docs.readme;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.browser.Chromium;
import dev.switchboard.docs.DocsApps;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's quick start: its socket, {@link ChatSocket}, in an application, and
 * its script, {@code docs/readme/static/quick-start.js}, in headless Chromium.
 */
class QuickStartTests {

	private final DocsApps apps = new DocsApps();

	private ChromeDriver browser;

	@AfterEach
	void stopEverything() {
		if (this.browser != null) {
			this.browser.quit();
		}
		this.apps.close();
	}

	@Test
	void thePageSaysHiAndGetsTheReplyToItsRequest() {
		ConfigurableApplicationContext app = this.apps.start(List.of(QuickStartApplication.class),
				List.of("--spring.web.resources.static-locations=classpath:/docs/readme/static/"));
		this.browser = Chromium.start();
		this.browser.get("http://localhost:" + DocsApps.port(app) + "/");
		JavascriptExecutor page = this.browser;
		Chromium.await(this.browser, (driver) -> !((List<?>) page.executeScript("return window.logged")).isEmpty());
		Map<?, ?> said = (Map<?, ?>) ((List<?>) page.executeScript("return window.logged")).get(0);
		assertThat(said.get("text")).isEqualTo("hi");
		assertThat(((Number) said.get("id")).intValue()).isEqualTo(1);
		assertThat(String.valueOf(said.get("from"))).isNotBlank();
	}

	@SpringBootApplication
	static class QuickStartApplication {

	}

}
