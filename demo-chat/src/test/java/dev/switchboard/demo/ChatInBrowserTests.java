package dev.switchboard.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.browser.Chromium;
import dev.switchboard.test.OwnEventLoops;
import dev.switchboard.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two people in headless Chromium, on two instances of the app sharing one Redis. The
 * browser is Debian's chromium with its chromium-driver: nothing is downloaded.
 */
class ChatInBrowserTests {

	private static final Duration WAIT = Chromium.WAIT;

	/**
	 * Every run keeps its screenshot here; {@code -Dscreenshot.update} also replaces the
	 * one the docs show.
	 */
	private static final Path SCREENSHOT = Path.of("target", "demo-chat.png");

	private static final Path DOCS_SCREENSHOT = Path.of("..", "docs", "images", "demo-chat.png");

	private final String keyPrefix = "browser-" + UUID.randomUUID();

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private final List<WebDriver> browsers = new ArrayList<>();

	@AfterEach
	void stopEverything() {
		this.browsers.forEach(WebDriver::quit);
		this.instances.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void twoUsersOnTwoInstancesChatSignOutAndCarryOnAcrossARestartRecoveringWhatWasMissed() throws Exception {
		ConfigurableApplicationContext instanceA = start(0);
		ConfigurableApplicationContext instanceB = start(0);
		WebDriver alice = open(instanceA);
		// A forged token is closed with 1008 "invalid token": the page asks to sign in
		// again rather than reconnecting.
		((JavascriptExecutor) alice).executeScript(
				"localStorage.setItem('token', 'forged.token'); localStorage.setItem('user', 'mallory'); location.reload()");
		await(alice, ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "invalid token"));
		await(alice, ExpectedConditions.attributeToBe(By.id("state"), "data-state", "closed"));
		signIn(alice, "alice");
		WebDriver bob = signIn(open(instanceB), "bob");

		await(alice, online("bob"));
		await(bob, online("alice"));

		post(alice, "Hi Bob! I am on instance A.");
		await(bob, ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "I am on instance A"));
		post(bob, "Hello Alice, B here: same room, other server.");
		await(alice, ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "B here"));

		alice.findElement(By.id("dm-to")).sendKeys("bob");
		alice.findElement(By.id("dm-text")).sendKeys("Lunch at noon?");
		alice.findElement(By.id("dm-button")).click();
		await(bob, ExpectedConditions.textToBePresentInElementLocated(By.id("directs"), "Lunch at noon?"));
		bob.findElement(By.id("dm-to")).sendKeys("alice");
		bob.findElement(By.id("dm-text")).sendKeys("Sure, see you there.");
		bob.findElement(By.id("dm-button")).click();
		await(alice, ExpectedConditions.textToBePresentInElementLocated(By.id("directs"), "see you there"));

		// Sent from a controller on B to a room whose member is on A.
		postNotice(instanceB, "{\"room\":\"general\",\"text\":\"Deploy at 17:00: expect a short reconnect.\"}");
		await(alice, ExpectedConditions.textToBePresentInElementLocated(By.id("notices"), "Deploy at 17:00"));
		screenshot(alice);

		int portB = port(instanceB);
		stop(instanceB);
		await(bob, ExpectedConditions.textToBePresentInElementLocated(By.id("state"), "reconnecting in"));
		// Sent while Bob's page is away: it recovers the message when it is back.
		post(alice, "Sent while you were away.");
		await(alice, ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "while you were away"));
		instanceB = start(portB);
		await(bob, ExpectedConditions.attributeToBe(By.id("state"), "data-state", "open"));
		await(bob, ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Sent while you were away."));
		await(bob, ExpectedConditions.textToBePresentInElementLocated(By.id("notices"),
				"(#general): recovered 1 message sent while you were away"));
		post(bob, "Back after the restart.");
		await(alice, ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Back after the restart."));

		String bobsToken = instanceA.getBean(TokenService.class).sign("bob");
		try (ChatClient bobOnA = ChatClient.connect(port(instanceA), bobsToken)) {
			bobOnA.next("welcome");
			bob.findElement(By.id("sign-out")).click();
			await(bob, ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
			CloseStatus status = bobOnA.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("signed out");
		}
		await(alice, ExpectedConditions.numberOfElementsToBe(By.cssSelector("#online li[data-user='bob']"), 0));
	}

	private ConfigurableApplicationContext start(int port) {
		List<String> args = new ArrayList<>(
				List.of("--server.port=" + port, "--spring.profiles.active=redis", "--spring.main.banner-mode=off",
						"--switchboard.redis.key-prefix=" + this.keyPrefix, "--switchboard.redis.instance-timeout=3s",
						"--switchboard.redis.command-timeout=500ms", "--demo.history.key-prefix=" + this.keyPrefix));
		TestRedis.shared().springProperties().forEach((name, value) -> args.add("--" + name + "=" + value));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(DemoChatApplication.class)
			.initializers(new OwnEventLoops())
			.run(args.toArray(String[]::new));
		this.instances.add(context);
		return context;
	}

	private void stop(ConfigurableApplicationContext instance) {
		instance.close();
		this.instances.remove(instance);
	}

	private static int port(ConfigurableApplicationContext instance) {
		return ((WebServerApplicationContext) instance).getWebServer().getPort();
	}

	private WebDriver open(ConfigurableApplicationContext instance) {
		WebDriver browser = browser();
		browser.get("http://localhost:" + port(instance) + "/");
		return browser;
	}

	private static WebDriver signIn(WebDriver browser, String name) {
		browser.findElement(By.id("name")).sendKeys(name);
		browser.findElement(By.id("sign-in-button")).click();
		await(browser, ExpectedConditions.attributeToBe(By.id("state"), "data-state", "open"));
		await(browser, ExpectedConditions.textToBe(By.id("room-title"), "# general"));
		return browser;
	}

	private WebDriver browser() {
		WebDriver browser = Chromium.start();
		this.browsers.add(browser);
		return browser;
	}

	private static void post(WebDriver browser, String text) {
		browser.findElement(By.id("text")).sendKeys(text);
		browser.findElement(By.id("post-button")).click();
	}

	private static void postNotice(ConfigurableApplicationContext instance, String json) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port(instance) + "/api/notice"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.timeout(WAIT)
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	private static ExpectedCondition<?> online(String user) {
		return ExpectedConditions.presenceOfElementLocated(By.cssSelector("#online li[data-user='" + user + "']"));
	}

	private static void await(WebDriver browser, ExpectedCondition<?> condition) {
		Chromium.await(browser, condition);
	}

	private static void screenshot(WebDriver browser) throws IOException {
		byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
		Files.createDirectories(SCREENSHOT.getParent());
		Files.write(SCREENSHOT, png);
		if (Boolean.getBoolean("screenshot.update")) {
			Files.write(DOCS_SCREENSHOT, png);
		}
	}

}
