package dev.switchboard.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.fixtures.SocketsTestApplication;
import dev.switchboard.test.OwnEventLoops;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter serves the browser client, the npm package's very file, at
 * {@code {path-prefix}/switchboard.js}: real HTTP requests to a server on a random port.
 */
@SpringBootTest(classes = SocketsTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class BrowserClientServingTests {

	private static final Path SOURCE = Path.of("../clients/switchboard-js/switchboard.js");

	private static final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Test
	void servesTheBrowserClientWithAnEntityTagToPagesOfAnyOrigin() throws Exception {
		HttpResponse<String> script = send(
				request(this.port, "/ws/switchboard.js").header("Origin", "https://other.example").GET());
		assertThat(script.statusCode()).isEqualTo(200);
		assertThat(script.body()).isEqualTo(Files.readString(SOURCE));
		assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=UTF-8");
		assertThat(script.headers().firstValue("Cache-Control")).hasValue("no-cache");
		assertThat(script.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
		String entityTag = script.headers().firstValue("ETag").orElseThrow();
		HttpResponse<String> revalidated = send(
				request(this.port, "/ws/switchboard.js").header("If-None-Match", entityTag).GET());
		assertThat(revalidated.statusCode()).isEqualTo(304);
		assertThat(revalidated.body()).isEmpty();
		HttpResponse<String> head = send(
				request(this.port, "/ws/switchboard.js").method("HEAD", HttpRequest.BodyPublishers.noBody()));
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(Files.size(SOURCE));
		HttpResponse<String> post = send(
				request(this.port, "/ws/switchboard.js").POST(HttpRequest.BodyPublishers.ofString("x")));
		assertThat(post.statusCode()).isEqualTo(405);
		assertThat(post.headers().firstValue("Allow")).hasValueSatisfying((allow) -> assertThat(allow).contains("GET"));
	}

	@Test
	void followsThePathPrefixAndCanBeTurnedOff() throws Exception {
		try (ConfigurableApplicationContext moved = start("switchboard.path-prefix=/live/")) {
			assertThat(send(request(port(moved), "/live/switchboard.js").GET()).statusCode()).isEqualTo(200);
			assertThat(send(request(port(moved), "/ws/switchboard.js").GET()).statusCode()).isEqualTo(404);
		}
		try (ConfigurableApplicationContext off = start("switchboard.browser-client.enabled=false")) {
			assertThat(send(request(port(off), "/ws/switchboard.js").GET()).statusCode()).isEqualTo(404);
		}
	}

	private static ConfigurableApplicationContext start(String property) {
		return new SpringApplicationBuilder(SocketsTestApplication.class).initializers(new OwnEventLoops())
			.properties("server.port=0", property)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	private static HttpRequest.Builder request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
