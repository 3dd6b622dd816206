package dev.switchboard.docs.start;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.autoconfigure.SwitchboardProperties;
import dev.switchboard.browser.Chromium;
import dev.switchboard.docs.DocsApps;
import dev.switchboard.docs.Transcribes;
import dev.switchboard.docs.Transcript;
import dev.switchboard.docs.signin.SecurityConfiguration;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Follows {@code docs/getting-started.md} step by step, with the application it builds:
 * {@link ChatApplication}, {@link ChatSocket}, {@link AnnouncementController}, the page
 * {@code index.html} and, for the last step, {@link SecurityConfiguration}; and replays
 * the transcripts each step prints. Two things differ from an application of its own: the
 * page is served from {@code classpath:/docs/start/static/}, since demo-chat's page is
 * the {@code static/index.html} of this class path, and the security configuration is
 * added as a source in the last step, since it lives outside the application's package so
 * that the earlier steps run without it.
 */
@ExtendWith(OutputCaptureExtension.class)
public class GettingStartedTests {

	private final DocsApps apps = new DocsApps();

	private final List<WebDriver> browsers = new ArrayList<>();

	@AfterEach
	void stopEverything() {
		this.browsers.forEach(WebDriver::quit);
		this.apps.close();
	}

	// Write a socket: the application starts and logs the socket's URL.
	@Test
	@Transcribes("getting-started-sockets")
	void theApplicationLogsTheUrlOfItsSocket(CapturedOutput output) {
		ConfigurableApplicationContext app = start(List.of());
		Transcript.named("getting-started-sockets")
			.bind("8080", String.valueOf(DocsApps.port(app)))
			.expectOutput(output);
	}

	// Connect from a browser: the page pings, says and reads; the conversation is the
	// one printed.
	@Test
	@Transcribes("getting-started-chat")
	void thePageTalksToTheSocket() {
		ConfigurableApplicationContext app = start(List.of());
		WebDriver browser = open(app);
		awaitLog(browser, "server time ");
		say(browser, "Hello");
		awaitLog(browser, ": Hello");
		// From the browser's console, as the guide says.
		((JavascriptExecutor) browser)
			.executeScript("socket.send(JSON.stringify({ type: \"shout\", text: \"Hello\" }))");
		awaitLog(browser, "error not-found: no handler for type 'shout'");
		try (WsClient client = connect(app)) {
			Transcript.named("getting-started-chat").converse(client);
		}
	}

	// Send from a controller: every connection of the lobby, the page included, gets
	// the announcement.
	@Test
	@Transcribes({ "getting-started-announce", "send-result-json" })
	void theControllerSendsToTheLobby() {
		ConfigurableApplicationContext app = start(List.of());
		try (WsClient client = joinLobby(app)) {
			Transcript.named("send-result-json").curl(DocsApps.port(app));
			assertThat(client.nextJson().get("announcement").asString()).isEqualTo("Back in 5 minutes");
			WebDriver browser = open(app);
			awaitLog(browser, "server time ");
			Transcript.named("getting-started-announce").curl(DocsApps.port(app));
			awaitLog(browser, "announcement: Back in 5 minutes");
			assertThat(client.nextJson().get("announcement").asString()).isEqualTo("Back in 5 minutes");
		}
	}

	// Run several instances: two instances on one Redis; an announcement made on one
	// reaches the page on the other.
	@Test
	@Transcribes({ "getting-started-joined", "getting-started-two-instances", "joined-cluster",
			"announce-two-instances", "health" })
	void twoInstancesShareTheLobby(CapturedOutput output) {
		List<String> redis = new ArrayList<>(List.of("--spring.data.redis.host=" + TestRedis.shared().host(),
				"--spring.data.redis.port=" + TestRedis.shared().port(),
				// Keys of their own on the shared test server.
				"--switchboard.redis.key-prefix=getting-started-" + UUID.randomUUID(),
				"--management.endpoint.health.show-details=always"));
		ConfigurableApplicationContext a = start(redis);
		ConfigurableApplicationContext b = start(redis);
		String instanceA = a.getBean(SwitchboardProperties.class).getInstanceId();
		Transcript.named("getting-started-joined").bind("k3x9q0b2mz", instanceA).expectOutput(output);
		Transcript.named("joined-cluster").bind("k3x9q0b2mz", instanceA).expectOutput(output);
		WebDriver browser = open(b);
		awaitLog(browser, "server time ");
		Transcript.named("getting-started-two-instances").curl(DocsApps.port(a));
		awaitLog(browser, "announcement: Back in 5 minutes");
		try (WsClient first = joinLobby(a); WsClient second = joinLobby(a)) {
			Transcript.named("announce-two-instances").curl(DocsApps.port(a));
			Chromium.await(browser, ExpectedConditions
				.numberOfElementsToBe(By.xpath("//ul[@id='log']/li[.='announcement: Back in 5 minutes']"), 2));
			assertThat(first.nextJson().get("announcement").asString()).isEqualTo("Back in 5 minutes");
			assertThat(second.nextJson().get("announcement").asString()).isEqualTo("Back in 5 minutes");
		}
		Transcript.named("health").bind("k3x9q0b2mz", instanceA).curl(DocsApps.port(a));
	}

	// Require sign-in: the page asks for it, the socket knows the user, the API wants
	// the administrator's credentials, and a user is reached by name.
	@Test
	@Transcribes("getting-started-sign-in")
	void signedInUsersAreReachedByName() throws Exception {
		ConfigurableApplicationContext app = start(List.of(), SecurityConfiguration.class);
		try (RawWebSocket anonymous = RawWebSocket.handshake(DocsApps.port(app), "/ws/chat", Map.of())) {
			assertThat(anonymous.responseHead()).startsWith("HTTP/1.1 302").containsIgnoringCase("location: /login");
		}
		HttpResponse<String> withoutCredentials = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + DocsApps.port(app) + "/users/ann/notices"))
				.POST(HttpRequest.BodyPublishers.ofString("hello"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(withoutCredentials.statusCode()).isEqualTo(401);

		WebDriver browser = open(app);
		Chromium.await(browser, ExpectedConditions.presenceOfElementLocated(By.name("username")));
		browser.findElement(By.name("username")).sendKeys("ann");
		browser.findElement(By.name("password")).sendKeys("ann-password");
		browser.findElement(By.cssSelector("button[type=submit]")).click();
		awaitLog(browser, "server time ");
		Transcript.named("getting-started-sign-in").curl(DocsApps.port(app));
		awaitLog(browser, "announcement: Your order has shipped");
	}

	private ConfigurableApplicationContext start(List<String> properties, Class<?>... added) {
		List<Class<?>> sources = new ArrayList<>(List.of(ChatApplication.class));
		sources.addAll(Arrays.asList(added));
		List<String> args = new ArrayList<>(properties);
		// Not demo-chat's page, which is the static/index.html of this class path.
		args.add("--spring.web.resources.static-locations=classpath:/docs/start/static/");
		return this.apps.start(sources, args);
	}

	private WebDriver open(ConfigurableApplicationContext app) {
		WebDriver browser = Chromium.start();
		this.browsers.add(browser);
		browser.get("http://localhost:" + DocsApps.port(app) + "/");
		return browser;
	}

	private static void say(WebDriver browser, String text) {
		browser.findElement(By.id("text")).sendKeys(text);
		browser.findElement(By.id("send")).click();
	}

	private static void awaitLog(WebDriver browser, String text) {
		Chromium.await(browser, ExpectedConditions.textToBePresentInElementLocated(By.id("log"), text));
	}

	private static WsClient connect(ConfigurableApplicationContext app) {
		return WsClient.connect(URI.create("ws://localhost:" + DocsApps.port(app) + "/ws/chat"));
	}

	// Connected and in the lobby: the socket handles a message once @OnConnect, which
	// joins the lobby, has completed, so the answer to a ping says it has.
	private static WsClient joinLobby(ConfigurableApplicationContext app) {
		WsClient client = connect(app);
		client.send("{\"type\":\"ping\",\"id\":0}");
		assertThat(client.nextJson().get("id").asInt()).isZero();
		return client;
	}

}
