package dev.switchboard.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.switchboard.fixtures.SocketsTestApplication;
import dev.switchboard.test.Await;
import dev.switchboard.test.Http;
import dev.switchboard.test.OwnEventLoops;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code switchboard} Actuator endpoint with the in-memory registry, exposed and
 * secured as docs/operations.md describes: exposed over HTTP only when configured, behind
 * Spring Security's defaults like any endpoint but health.
 */
@ExtendWith(OutputCaptureExtension.class)
class SwitchboardEndpointTests {

	private static final String EXPOSED = "--management.endpoints.web.exposure.include=health,switchboard";

	/**
	 * Spring Security on, with Boot's defaults; Redis off.
	 */
	private static final String SECURITY_ON = "--spring.autoconfigure.exclude="
			+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration";

	private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

	@AfterEach
	void stop() {
		this.apps.forEach(ConfigurableApplicationContext::close);
	}

	private int start(String... args) {
		List<String> all = new ArrayList<>(
				List.of("--server.port=0", "--spring.main.banner-mode=off", "--switchboard.instance-id=solo"));
		all.addAll(List.of(args));
		ConfigurableApplicationContext app = new SpringApplicationBuilder(SocketsTestApplication.class)
			.initializers(new OwnEventLoops())
			.run(all.toArray(String[]::new));
		this.apps.add(app);
		return ((WebServerApplicationContext) app).getWebServer().getPort();
	}

	@Test
	void showsThisInstanceAsTheClusterWithTheInMemoryRegistry() {
		int port = start(EXPOSED);
		try (WsClient una = WsClient.connect(URI.create("ws://localhost:" + port + "/ws/chat?user=una&room=ops"));
				WsClient anonymous = WsClient.connect(URI.create("ws://localhost:" + port + "/ws/chat"))) {
			Instant before = Instant.now().minusSeconds(1);
			String id = una.nextJson().get("connectionId").asString();
			anonymous.nextJson();
			JsonNode overview = Http.get(port, "/actuator/switchboard").json();
			assertThat(overview.get("registry").asString()).isEqualTo("memory");
			assertThat(overview.get("instance").asString()).isEqualTo("solo");
			JsonNode chat = socket(overview, "chat");
			assertThat(chat.get("path").asString()).isEqualTo("/ws/chat");
			assertThat(chat.get("localConnections").asLong()).isEqualTo(2);
			assertThat(chat.get("clusterConnections").asLong()).isEqualTo(2);
			assertThat(overview.get("instances")).hasSize(1);
			assertThat(overview.get("instances").get(0).get("id").asString()).isEqualTo("solo");
			assertThat(overview.get("instances").get(0).has("leaseAge")).isFalse();
			assertThat(overview.get("rooms").asLong()).isEqualTo(1);
			assertThat(overview.get("onlineUsers").asLong()).isEqualTo(1);
			JsonNode connection = Http.get(port, "/actuator/switchboard/" + id).json();
			assertThat(connection.get("user").asString()).isEqualTo("una");
			assertThat(connection.get("instance").asString()).isEqualTo("solo");
			assertThat(connection.get("rooms").valueStream().map(JsonNode::asString)).containsExactly("ops");
			assertThat(Instant.parse(connection.get("connectedAt").asString())).isBetween(before, Instant.now());
			assertThat(connection.get("remoteAddress").asString()).matches("127\\.0\\.0\\.1:\\d+");
			assertThat(Http.get(port, "/actuator/switchboard/solo.nosuchconnection").status()).isEqualTo(404);
			una.close();
			Await.until(() -> Http.get(port, "/actuator/switchboard/" + id).status() == 404);
		}
	}

	@Test
	void refusesEveryWriteWith405AndChangesNothing() {
		int port = start(EXPOSED);
		try (WsClient una = WsClient.connect(URI.create("ws://localhost:" + port + "/ws/chat?user=una&room=ops"))) {
			String id = una.nextJson().get("connectionId").asString();
			String overview = Http.get(port, "/actuator/switchboard").body();
			String connection = Http.get(port, "/actuator/switchboard/" + id).body();
			for (String path : List.of("/actuator/switchboard", "/actuator/switchboard/" + id)) {
				for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
					assertThat(status(port, method, path)).as("%s %s", method, path).isEqualTo(405);
				}
			}
			assertThat(Http.get(port, "/actuator/switchboard").body()).isEqualTo(overview);
			assertThat(Http.get(port, "/actuator/switchboard/" + id).body()).isEqualTo(connection);
			una.send("{\"type\":\"rooms\"}");
			assertThat(una.nextJson().get("rooms").valueStream().map(JsonNode::asString)).containsExactly("ops");
		}
	}

	private static int status(int port, String method, String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(WsClient.TIMEOUT)
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString("{}"))
			.build();
		try {
			return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static JsonNode socket(JsonNode overview, String name) {
		return overview.get("sockets")
			.valueStream()
			.filter((socket) -> socket.get("name").asString().equals(name))
			.findFirst()
			.orElseThrow();
	}

	@Test
	void isNotExposedOverHttpUnlessConfigured() {
		int port = start("--management.endpoints.web.exposure.include=health");
		assertThat(Http.get(port, "/actuator/switchboard").status()).isEqualTo(404);
		assertThat(this.apps.get(0).getBeansOfType(SwitchboardEndpoint.class)).isEmpty();
	}

	@Test
	void requiresAuthenticationUnderSpringSecuritysDefaults() {
		int port = start(EXPOSED, SECURITY_ON, "--spring.security.user.name=ops",
				"--spring.security.user.password=secret");
		assertThat(Http.get(port, "/actuator/switchboard").status()).isEqualTo(401);
		assertThat(Http.get(port, "/actuator/switchboard/solo.any").status()).isEqualTo(401);
		assertThat(Http.get(port, "/actuator/switchboard", "ops", "wrong").status()).isEqualTo(401);
		Http.Response authenticated = Http.get(port, "/actuator/switchboard", "ops", "secret");
		assertThat(authenticated.status()).isEqualTo(200);
		assertThat(authenticated.json().get("registry").asString()).isEqualTo("memory");
	}

	@Test
	void isLeftOutWithoutActuatorAndWithoutAWarning(CapturedOutput output) {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class, JacksonAutoConfiguration.class,
					WebFluxAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=*")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate."))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(SwitchboardEndpoint.class);
			});
		assertThat(output).doesNotContain("Failed to introspect").doesNotContain("WARN");
	}

	@Test
	void isConfiguredWithActuatorWhenExposed() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class, JacksonAutoConfiguration.class,
					WebFluxAutoConfiguration.class, EndpointAutoConfiguration.class,
					WebEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=switchboard")
			.run((context) -> {
				assertThat(context).hasSingleBean(SwitchboardEndpoint.class);
				assertThat(context).hasSingleBean(SwitchboardEndpointWebExtension.class);
			});
	}

}
