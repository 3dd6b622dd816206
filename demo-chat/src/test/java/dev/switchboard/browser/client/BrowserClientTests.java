package dev.switchboard.browser.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.CloseReason;
import dev.switchboard.Switchboard;
import dev.switchboard.browser.Chromium;
import dev.switchboard.test.OwnEventLoops;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * switchboard.js in headless Chromium, loaded from the path the starter serves it at, and
 * a running application: reconnecting, requests and their replies, and signed out told
 * from server down.
 */
class BrowserClientTests {

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private final List<WebDriver> browsers = new ArrayList<>();

	@AfterEach
	void stopEverything() {
		this.browsers.forEach(WebDriver::quit);
		this.instances.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void reconnectsWithBackoffWhenTheServerRestartsAndAnswersRequestsAgain() {
		ConfigurableApplicationContext app = start(0, true);
		int port = port(app);
		JavascriptExecutor page = open(app);
		connect(page, "'token-ann'", "{}");
		awaitEvent(page, "hello:ann");
		assertThat(request(page, "{type: 'echo', text: 'first'}")).containsEntry("type", "echoed")
			.containsEntry("text", "first")
			.containsKey("id");

		stop(app);
		// The shutdown closes with 1001; the attempts while the server is down end with
		// 1006.
		awaitEvent(page, "state:reconnecting:server shutting down");
		awaitEvent(page, "state:reconnecting:code 1006");
		assertThat(page.executeScript("return client.state")).isEqualTo("reconnecting");
		assertThat(request(page, "{type: 'echo', text: 'short'}, {timeout: 300}")).containsEntry("error",
				"request-timeout");
		// A request made while the server is down waits for the connection, within its
		// timeout.
		page.executeScript("client.request({type: 'echo', text: 'queued'}, {timeout: 60000})"
				+ ".then((reply) => events.push('replied:' + reply.text))");
		List<Long> delays = longs(page.executeScript(
				"return changes.filter((c) => c.state === 'reconnecting' && c.delay !== undefined).map((c) => c.delay)"));
		assertThat(delays).allSatisfy((delay) -> assertThat(delay).isBetween(100L, 1000L));

		start(port, true);
		awaitEvent(page, "replied:queued");
		awaitCount(page, "hello:ann", 2);
		assertThat(page.executeScript("return client.state")).isEqualTo("open");
		assertThat(request(page, "{type: 'echo', text: 'again'}")).containsEntry("text", "again");
	}

	@Test
	void rejectsARequestWithItsErrorReplyAfterItsTimeoutAndWhenTheConnectionIsLost() {
		ConfigurableApplicationContext app = start(0, true);
		JavascriptExecutor page = open(app);
		connect(page, "'token-bea'", "{}");
		awaitEvent(page, "hello:bea");

		assertThat(request(page, "{type: 'refuse'}")).containsEntry("error", "forbidden")
			.containsEntry("message", "not for you");
		assertThat(request(page, "{type: 'nothing-here'}")).containsEntry("error", "not-found");
		assertThat(request(page, "{type: 'silent'}, {timeout: 300}")).containsEntry("error", "request-timeout");
		// An error reply for no pending request goes to the error handlers.
		page.executeScript("client.send({type: 'refuse', id: 'sent-by-hand'})");
		awaitEvent(page, "error:forbidden:sent-by-hand");

		page.executeScript("window.lost = client.request({type: 'silent'}, {timeout: 60000})"
				+ ".catch((error) => events.push('rejected:' + error.code))");
		app.getBean(Switchboard.class)
			.toUser("bea")
			.close(CloseReason.SERVICE_RESTARTED.withReason("restarting"))
			.block();
		awaitEvent(page, "rejected:connection-lost");
		awaitEvent(page, "state:reconnecting:restarting");
		awaitCount(page, "hello:bea", 2);
	}

	@Test
	void saysSignedOutOnA1008WithASignedOutReasonAndStopsThere() {
		ConfigurableApplicationContext app = start(0, true);
		JavascriptExecutor page = open(app);
		connect(page, "'forged'", "{}");
		awaitEvent(page, "state:signed-out:invalid token");

		connect(page, "() => Promise.resolve('token-cid')", "{}");
		awaitEvent(page, "hello:cid");
		page.executeScript("client.send({type: 'sign-out'})");
		awaitEvent(page, "state:signed-out:signed out");
		assertThat(page.executeScript("return client.state")).isEqualTo("signed-out");
		assertThat(page.executeScript("return client.send({type: 'echo'})")).isEqualTo(false);
		// Nothing reconnects after signed out: a request made now is refused at once.
		assertThat(request(page, "{type: 'echo', text: 'x'}")).containsEntry("error", "not-connected");
		assertThat(strings(page.executeScript("return events"))).doesNotContain("state:reconnecting");
	}

	@Test
	void tellsARefusedHandshakeFromAServerThatIsDownByAskingCheckToken() {
		ConfigurableApplicationContext app = start(0, false);
		JavascriptExecutor page = open(app);
		// Without reject-after-upgrade a refused handshake is a 1006 before the
		// connection
		// opened, as a server that is down is: the application's checkToken tells them
		// apart.
		connect(page, "'forged'", "{checkToken: () => { events.push('checked'); return window.tokenValid; }}");
		page.executeScript("window.tokenValid = true");
		awaitCount(page, "checked", 2);
		assertThat(page.executeScript("return client.state")).isEqualTo("reconnecting");
		page.executeScript("window.tokenValid = false");
		awaitEvent(page, "state:signed-out:invalid token");
	}

	@Test
	void recoversTheMessagesMissedWhileDisconnectedInOrderAndSaysWhenItCannot() {
		ConfigurableApplicationContext app = start(0, true);
		int port = port(app);
		JavascriptExecutor page = open(app);
		page.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				import('/ws/switchboard.js').then(({ connect }) => {
				  window.events = [];
				  window.client = connect('/ws/feed', { token: 'token-dee', minDelay: 1500, maxDelay: 1500 });
				  client.onState((change) => events.push('state:' + change.state));
				  client.on('item', (message) => events.push('item:' + message.n));
				  client.onRecovered((r) => events.push('recovered:' + r.kind + ':' + r.name + ':' + r.recovered));
				  done();
				});
				""");
		awaitEvent(page, "recovered:room:news:true");
		Switchboard switchboard = app.getBean(Switchboard.class);
		switchboard.toRoom("news").send(Map.of("type", "item", "n", 1)).block();
		awaitEvent(page, "item:1");

		switchboard.toUser("dee").close(CloseReason.SERVICE_RESTARTED).block();
		awaitEvent(page, "state:reconnecting");
		// Sent while the page is away: it gets them when it is back, before what follows.
		switchboard.toRoom("news").send(Map.of("type", "item", "n", 2)).block();
		switchboard.toRoom("news").send(Map.of("type", "item", "n", 3)).block();
		awaitCount(page, "recovered:room:news:true", 2);
		switchboard.toRoom("news").send(Map.of("type", "item", "n", 4)).block();
		awaitEvent(page, "item:4");
		assertThat(strings(page.executeScript("return events")).stream().filter((event) -> event.startsWith("item:")))
			.containsExactly("item:1", "item:2", "item:3", "item:4");
		assertThat(page.executeScript("return client.positions()['room:news'].offset")).isEqualTo(4L);

		// The in-memory history does not survive the instance: the page is told.
		stop(app);
		start(port, true);
		awaitEvent(page, "recovered:room:news:false");
		assertThat(page.executeScript("return client.state")).isEqualTo("open");
	}

	private ConfigurableApplicationContext start(int port, boolean rejectAfterUpgrade) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ClientTestApplication.class)
			.initializers(new OwnEventLoops())
			.run("--server.port=" + port, "--spring.main.banner-mode=off",
					"--switchboard.security.reject-after-upgrade=" + rejectAfterUpgrade,
					"--switchboard.history.streams[0].pattern=room:*");
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

	private JavascriptExecutor open(ConfigurableApplicationContext app) {
		ChromeDriver browser = Chromium.start();
		this.browsers.add(browser);
		browser.manage().timeouts().scriptTimeout(Chromium.WAIT);
		browser.get("http://localhost:" + port(app) + "/client-test.html");
		return browser;
	}

	// Connects as a page would, with short reconnect delays, and records what happens.
	private static void connect(JavascriptExecutor page, String token, String options) {
		page.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				import('/ws/switchboard.js').then(({ connect }) => {
				  if (window.client) { client.close(); }
				  window.events = [];
				  window.changes = [];
				  window.client = connect('/ws/probe',
				      Object.assign({ token: %s, minDelay: 200, maxDelay: 1000 }, %s));
				  client.onState((change) => {
				    changes.push(change);
				    events.push('state:' + change.state + (change.reason ? ':' + change.reason : ''));
				  });
				  client.on('hello', (message) => events.push('hello:' + message.user));
				  client.onError((reply) => events.push('error:' + reply.code + ':' + reply.id));
				  done();
				});
				""".formatted(token, options));
	}

	// The reply as a map, or {error: code, message} when the request failed.
	@SuppressWarnings("unchecked")
	private static Map<String, Object> request(JavascriptExecutor page, String arguments) {
		return (Map<String, Object>) page.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				client.request(%s).then((reply) => done(reply),
				    (error) => done({ error: error.code, message: error.message }));
				""".formatted(arguments));
	}

	private static void awaitEvent(JavascriptExecutor page, String event) {
		awaitCount(page, event, 1);
	}

	private static void awaitCount(JavascriptExecutor page, String event, int count) {
		Chromium.await((WebDriver) page,
				(driver) -> strings(page.executeScript("return events")).stream()
					.filter(event::equals)
					.count() >= count);
	}

	private static List<String> strings(Object value) {
		return ((List<?>) value).stream().map(String::valueOf).toList();
	}

	private static List<Long> longs(Object value) {
		return ((List<?>) value).stream().map((each) -> ((Number) each).longValue()).toList();
	}

}
