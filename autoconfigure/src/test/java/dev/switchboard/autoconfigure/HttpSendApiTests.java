package dev.switchboard.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.fixtures.SocketsTestApplication;
import dev.switchboard.test.Http;
import dev.switchboard.test.OwnEventLoops;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The HTTP send API of an application without Spring Security, authenticated by a key:
 * real HTTP calls to a server on a random port, real WebSocket clients receiving.
 */
@SpringBootTest(classes = SocketsTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "switchboard.http-api.enabled=true", "switchboard.http-api.key=" + HttpSendApiTests.KEY,
				"switchboard.http-api.max-body-size=1KB" })
@ExtendWith(OutputCaptureExtension.class)
class HttpSendApiTests {

	static final String KEY = "k8Hq2vX0pLr5sT9w";

	private static final String PATH = "/switchboard/api/send";

	@LocalServerPort
	int port;

	private Http.Response call(String body) {
		return Http.post(this.port, PATH, Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json"),
				body);
	}

	private WsClient connect(String query) {
		return WsClient.connect(URI.create("ws://localhost:" + this.port + "/ws/chat" + query));
	}

	private static String hello(WsClient client) {
		return client.nextJson().get("connectionId").asString();
	}

	@Test
	void refusesACallWithoutTheKeyWith401AndNeverLogsTheKey(CapturedOutput output) throws Exception {
		String body = "{\"to\":{\"user\":\"ann\"},\"payload\":\"x\"}";
		try (WsClient ann = connect("?user=ann")) {
			hello(ann);
			Http.Response none = Http.post(this.port, PATH, Map.of("Content-Type", "application/json"), body);
			assertThat(none.status()).isEqualTo(401);
			assertThat(none.json().get("error").asString())
				.isEqualTo("authentication required: Authorization: Bearer <key>");
			assertThat(headers("POST", Map.of("Content-Type", "application/json")).firstValue("WWW-Authenticate"))
				.hasValue("Bearer");
			Http.Response wrong = Http.post(this.port, PATH,
					Map.of("Authorization", "Bearer " + KEY + "x", "Content-Type", "application/json"), body);
			assertThat(wrong.status()).isEqualTo(401);
			assertThat(wrong.json().get("error").asString()).isEqualTo("invalid key");
			// A principal that is not Spring Security's does not stand for the key.
			Http.Response principal = Http.post(this.port, PATH + "?user=ann",
					Map.of("Content-Type", "application/json"), body);
			assertThat(principal.status()).isEqualTo(401);
			assertThat(ann.drain()).isEmpty();
		}
		assertThat(output).doesNotContain(KEY).doesNotContain(" WARN ").doesNotContain(" ERROR ");
	}

	@Test
	void sendsToEachKindOfTargetAndAnswersWhatIsKnown() {
		try (WsClient ann = connect("?user=ann&room=garden");
				WsClient ben = connect("?user=ben&room=garden");
				WsClient cat = connect("?user=cat")) {
			String annId = hello(ann);
			String benId = hello(ben);
			hello(cat);
			Http.Response toAnn = call("{\"to\":{\"user\":\"ann\"},\"payload\":{\"text\":\"hi\",\"n\":1.10,"
					+ "\"big\":123456789012345678901234567890,\"tags\":[\"a\",null]}}");
			assertThat(toAnn.status()).isEqualTo(200);
			assertThat(toAnn.body()).isEqualTo("{\"reached\":1,\"instances\":0,\"dropped\":0,\"notConnected\":false}");
			assertThat(ann.nextText())
				.isEqualTo("{\"text\":\"hi\",\"n\":1.10,\"big\":123456789012345678901234567890,\"tags\":[\"a\",null]}");
			assertThat(call("{\"to\":{\"connection\":\"" + benId + "\"},\"payload\":\"plain text\"}").json()
				.get("reached")
				.asInt()).isEqualTo(1);
			assertThat(ben.nextText()).isEqualTo("plain text");
			assertThat(call("{\"to\":{\"users\":[\"ann\",\"cat\"]},\"payload\":[1,2]}").json().get("reached").asInt())
				.isEqualTo(2);
			assertThat(ann.nextText()).isEqualTo("[1,2]");
			assertThat(cat.nextText()).isEqualTo("[1,2]");
			assertThat(call("{\"to\":{\"room\":\"garden\"},\"except\":\"" + annId + "\",\"payload\":true}").json()
				.get("reached")
				.asInt()).isEqualTo(1);
			assertThat(ben.nextText()).isEqualTo("true");
			assertThat(call("{\"to\":{\"socket\":\"chat\"},\"except\":[\"" + annId + "\",\"" + benId
					+ "\"],\"payload\":{\"all\":\"but two\"}}")
				.json()
				.get("reached")
				.asInt()).isEqualTo(1);
			assertThat(cat.nextText()).isEqualTo("{\"all\":\"but two\"}");
			assertThat(ann.drain()).isEmpty();
			assertThat(ben.drain()).isEmpty();
		}
	}

	@Test
	void answersNotConnectedForAUserWithoutConnections() {
		Http.Response response = call("{\"to\":{\"user\":\"nobody\"},\"payload\":{\"text\":\"hi\"}}");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"reached\":0,\"instances\":0,\"dropped\":0,\"notConnected\":true}");
	}

	@Test
	void closesTheRecipientsWithTheGivenStatus() {
		try (WsClient dan = connect("?user=dan")) {
			hello(dan);
			Http.Response response = call("{\"to\":{\"user\":\"dan\"},\"close\":{\"code\":4001,\"reason\":\"bye\"}}");
			assertThat(response.json().get("reached").asInt()).isEqualTo(1);
			assertThat(dan.awaitClose()).isEqualTo(new CloseStatus(4001, "bye"));
		}
	}

	@Test
	void answersABadRequestWithItsReasonAndLogsNoWarning(CapturedOutput output) throws Exception {
		Map<String, String> bad = new LinkedHashMap<>();
		bad.put("", "the body must be a JSON object");
		bad.put("{\"to\":", "the body is not valid JSON: ...");
		bad.put("[1]", "the body must be a JSON object");
		bad.put("{\"to\":{\"user\":\"ann\"},\"payload\":1} 2", "the body is not valid JSON...");
		bad.put("{\"to\":{\"user\":\"ann\"},\"to\":{\"room\":\"r\"},\"payload\":1}", "the body is not valid JSON: ...");
		bad.put("{\"payload\":1}", "'to' must be an object with one of connection, user, users, room, socket");
		bad.put("{\"to\":{\"group\":\"g\"},\"payload\":1}",
				"unknown target 'group'; 'to' takes one of connection, user, users, room, socket");
		bad.put("{\"to\":{\"user\":\"ann\",\"room\":\"r\"},\"payload\":1}",
				"'to' must be an object with one of connection, user, users, room, socket");
		bad.put("{\"to\":{\"user\":\"\"},\"payload\":1}", "'to.user' must be a non-empty string");
		bad.put("{\"to\":{\"users\":\"ann\"},\"payload\":1}", "'to.users' must be an array of strings");
		bad.put("{\"to\":{\"user\":\"ann\"}}", "a request has either a 'payload' to send or a 'close' status");
		bad.put("{\"to\":{\"user\":\"ann\"},\"payload\":null}", "'payload' must not be null");
		bad.put("{\"to\":{\"user\":\"ann\"},\"payload\":1,\"close\":{\"code\":1000}}",
				"a request has either a 'payload' to send or a 'close' status");
		bad.put("{\"to\":{\"user\":\"ann\"},\"payload\":1,\"except\":[1]}", "'except[]' must be a non-empty string");
		bad.put("{\"to\":{\"user\":\"ann\"},\"data\":1}",
				"unknown field 'data'; a request has to, except, and payload or close");
		bad.put("{\"to\":{\"user\":\"ann\"},\"close\":{\"code\":1006}}",
				"'close.code' 1006 cannot be sent; use 1000 to 1003, 1007 to 1014, or 3000 to 4999");
		bad.forEach((body, reason) -> {
			Http.Response response = call(body);
			assertThat(response.status()).as(body).isEqualTo(400);
			String error = response.json().get("error").asString();
			if (reason.endsWith("...")) {
				assertThat(error).as(body).startsWith(reason.substring(0, reason.length() - 3));
			}
			else {
				assertThat(error).as(body).isEqualTo(reason);
			}
		});
		Http.Response tooLarge = call("{\"to\":{\"user\":\"ann\"},\"payload\":\"" + "x".repeat(1024) + "\"}");
		assertThat(tooLarge.status()).isEqualTo(413);
		assertThat(tooLarge.json().get("error").asString()).isEqualTo("the body is larger than 1024 bytes");
		Http.Response text = Http.post(this.port, PATH,
				Map.of("Authorization", "Bearer " + KEY, "Content-Type", "text/plain"), "{}");
		assertThat(text.status()).isEqualTo(415);
		assertThat(text.json().get("error").asString()).isEqualTo("Content-Type must be application/json");
		Http.Response get = Http.get(this.port, PATH);
		assertThat(get.status()).isEqualTo(405);
		assertThat(get.json().get("error").asString()).isEqualTo("only POST is allowed");
		assertThat(headers("GET", Map.of()).firstValue("Allow")).hasValue("POST");
		// A page of another origin may not call it: its preflight is not allowed.
		HttpHeaders preflight = headers("OPTIONS", Map.of("Origin", "https://elsewhere.example",
				"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"));
		assertThat(preflight.firstValue("Access-Control-Allow-Origin")).isEmpty();
		assertThat(output).doesNotContain(" WARN ").doesNotContain(" ERROR ").doesNotContain("Exception");
	}

	@Test
	void isNotServedUnlessEnabled() {
		try (ConfigurableApplicationContext app = start()) {
			int port = ((WebServerApplicationContext) app).getWebServer().getPort();
			Http.Response response = Http.post(port, PATH,
					Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json"),
					"{\"to\":{\"user\":\"ann\"},\"payload\":1}");
			assertThat(response.status()).isEqualTo(404);
		}
	}

	@Test
	void takesSpringSecuritysCallersOnlyWithAnAuthority() {
		SwitchboardProperties.HttpApi api = new SwitchboardProperties.HttpApi();
		api.setEnabled(true);
		// Every user the application authenticates would be a sender.
		assertThatException().isThrownBy(() -> HttpSendApiSetup.access(api, true))
			.isInstanceOf(HttpSendApiSetupException.class)
			.withMessageContaining("switchboard.http-api.authority is not set");
		api.setKey(KEY);
		assertThat(HttpSendApiSetup.access(api, true).takesKey()).isTrue();
		api.setAuthority("ROLE_SENDER");
		assertThat(HttpSendApiSetup.access(api, true).takesKey()).isTrue();
	}

	@Test
	void refusesToStartWithNeitherSpringSecurityNorAKey(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--switchboard.http-api.enabled=true"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The HTTP send API (switchboard.http-api.enabled=true) cannot be served: nothing "
					+ "authenticates its callers, as Spring Security is not in the application and "
					+ "switchboard.http-api.key is not set")
			.contains("Set switchboard.http-api.key to a random secret that callers send as");
	}

	@Test
	void refusesToStartWithAShortKeyASocketsPathAnAuthorityWithoutSpringSecurityOrNoBodySize() {
		assertThatException()
			.isThrownBy(() -> start("--switchboard.http-api.enabled=true", "--switchboard.http-api.key=short"))
			.havingRootCause()
			.withMessageEndingWith("switchboard.http-api.key has 5 characters, fewer than 16");
		// As from an environment variable that is not set: the placeholder stays as it
		// is.
		assertThatException()
			.isThrownBy(() -> start("--switchboard.http-api.enabled=true",
					"--switchboard.http-api.key=${SWITCHBOARD_HTTP_API_KEY_NOT_SET_ANYWHERE}"))
			.havingRootCause()
			.withMessageEndingWith("switchboard.http-api.key is an unresolved placeholder: what it names is not set");
		assertThatException()
			.isThrownBy(() -> start("--switchboard.http-api.enabled=true", "--switchboard.http-api.key=" + KEY,
					"--switchboard.http-api.path=/ws/rooms/lobby/arguments"))
			.havingRootCause()
			.withMessageEndingWith("its path /ws/rooms/lobby/arguments is the path of the socket 'arguments' "
					+ "(/ws/rooms/{room}/arguments)");
		assertThatException()
			.isThrownBy(() -> start("--switchboard.http-api.enabled=true", "--switchboard.http-api.key=" + KEY,
					"--switchboard.http-api.authority=ROLE_SENDER"))
			.havingRootCause()
			.withMessageEndingWith(
					"switchboard.http-api.authority is set but Spring Security is not in the application");
		assertThatException()
			.isThrownBy(() -> start("--switchboard.http-api.enabled=true", "--switchboard.http-api.key=" + KEY,
					"--switchboard.http-api.max-body-size=-1B"))
			.havingRootCause()
			.withMessageEndingWith("switchboard.http-api.max-body-size -1B is not a positive size under 2GB");
	}

	// The headers of the answer to a call without the key.
	private HttpHeaders headers(String method, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + PATH))
			.timeout(WsClient.TIMEOUT)
			.method(method, HttpRequest.BodyPublishers.ofString("{}"));
		headers.forEach(request::header);
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).headers();
	}

	private static ConfigurableApplicationContext start(String... args) {
		return new SpringApplicationBuilder(SocketsTestApplication.class).initializers(new OwnEventLoops())
			.properties("server.port=0", "spring.main.banner-mode=off")
			.run(args);
	}

}
