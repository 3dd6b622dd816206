package dev.switchboard.emitter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import dev.switchboard.CloseReason;
import dev.switchboard.ConnectionInfo;
import dev.switchboard.DeliveryException;
import dev.switchboard.RegistryUnavailableException;
import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;
import dev.switchboard.registry.redis.RedisEmitter;
import dev.switchboard.test.AppInstance;
import dev.switchboard.test.Await;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.RawWebSocket.RawFrame;
import dev.switchboard.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A non-web application and a Servlet application, both without WebFlux, send through
 * {@code switchboard-emitter} to users connected to two socket-serving instances, which
 * run the autoconfigure module's test application in JVMs of their own, with WebFlux.
 */
class EmitterTests {

	private static final String PREFIX = "emitter";

	private static final Pattern CONNECTION_ID = Pattern.compile("\"connectionId\":\"([^\"]+)\"");

	private static TestRedis redis;

	private static AppInstance a;

	private static AppInstance b;

	@BeforeAll
	static void startInstances() {
		redis = TestRedis.startNew();
		CompletableFuture<AppInstance> first = CompletableFuture.supplyAsync(() -> startInstance("instance-a"));
		CompletableFuture<AppInstance> second = CompletableFuture.supplyAsync(() -> startInstance("instance-b"));
		a = first.join();
		b = second.join();
	}

	@AfterAll
	static void stopInstances() {
		for (AutoCloseable closeable : new AutoCloseable[] { a, b, redis }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// Best effort: the next one still gets closed.
			}
		}
	}

	@Test
	void classPathHasNeitherWebFluxNorReactorNettysServer() {
		assertThat(ClassUtils.isPresent("org.springframework.web.reactive.DispatcherHandler", null)).isFalse();
		assertThat(ClassUtils.isPresent("org.springframework.web.reactive.socket.CloseStatus", null)).isFalse();
		assertThat(ClassUtils.isPresent("reactor.netty.http.server.HttpServer", null)).isFalse();
	}

	@Test
	void nonWebApplicationSendsToUsersRoomsSocketsAndConnectionsOnTwoInstances() {
		try (ConfigurableApplicationContext context = sender(SenderApplication.class, WebApplicationType.NONE);
				RawWebSocket annOnA = RawWebSocket.connect(a.port(), "/ws/chat?user=ann&room=news");
				RawWebSocket annOnB = RawWebSocket.connect(b.port(), "/ws/chat?user=ann");
				RawWebSocket bobOnB = RawWebSocket.connect(b.port(), "/ws/chat?user=bob&room=news")) {
			Switchboard switchboard = context.getBean(Switchboard.class);
			assertThat(switchboard).isInstanceOf(RedisEmitter.class);
			String annA = connectionId(annOnA);
			String annB = connectionId(annOnB);
			String bob = connectionId(bobOnB);
			Await.until(() -> switchboard.connectionsOf("bob").hasElements().block());
			assertThat(switchboard.isOnline("ann").block()).isTrue();
			assertThat(switchboard.connectionsOf("ann").map(ConnectionInfo::id).collectList().block())
				.containsExactlyInAnyOrder(annA, annB);
			assertThat(switchboard.membersOf("news").map(ConnectionInfo::instance).collectList().block())
				.containsExactlyInAnyOrder("instance-a", "instance-b");
			assertThat(switchboard.onlineUsers().collectList().block()).contains("ann", "bob");

			// Encoded with the application's JSON mapper, as an instance encodes it.
			assertThat(switchboard.toUser("ann").send(new Notice("deploy at 18:00")).block())
				.isEqualTo(new SendResult(0, 2));
			assertThat(text(annOnA)).isEqualTo("{\"text\":\"deploy at 18:00\"}");
			assertThat(text(annOnB)).isEqualTo("{\"text\":\"deploy at 18:00\"}");

			assertThat(switchboard.toUsers(List.of("bob", "nobody")).send("to users").block())
				.isEqualTo(new SendResult(0, 1));
			assertThat(text(bobOnB)).isEqualTo("to users");

			assertThat(switchboard.toRoom("news").except(bob).send("to the room").block())
				.isEqualTo(new SendResult(0, 2));
			assertThat(text(annOnA)).isEqualTo("to the room");

			assertThat(switchboard.toSocket("chat").send(new byte[] { 1, 2, 3 }).block())
				.isEqualTo(new SendResult(0, 2));
			for (RawWebSocket client : List.of(annOnA, annOnB, bobOnB)) {
				RawFrame frame = client.readFrame();
				assertThat(frame.opcode()).isEqualTo(RawWebSocket.BINARY);
				assertThat(frame.payload()).containsExactly(1, 2, 3);
			}

			assertThat(switchboard.toConnection(bob).send("just you").block()).isEqualTo(new SendResult(0, 1));
			assertThat(text(bobOnB)).isEqualTo("just you");

			assertThat(switchboard.toUser("nobody").send("anyone?").block().notConnected()).isTrue();
			assertThat(switchboard.toConnection("instance-a.unknown").send("anyone?").block().notConnected()).isTrue();

			assertThat(switchboard.join(bob, "vip").block()).isEqualTo(new SendResult(0, 1));
			Await.until(() -> switchboard.membersOf("vip").map(ConnectionInfo::id).collectList().block().contains(bob));

			assertThat(switchboard.toConnection(bob).close(new CloseReason(4000, "done")).block())
				.isEqualTo(new SendResult(0, 1));
			RawFrame close = bobOnB.readFrame();
			assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
			assertThat(close.closeCode()).isEqualTo(4000);
			assertThat(close.closeReason()).isEqualTo("done");
			Await.until(() -> !switchboard.isOnline("bob").block());
		}
	}

	@Test
	void servletApplicationSendsFromItsController() throws Exception {
		try (ConfigurableApplicationContext context = sender(ServletSenderApplication.class, WebApplicationType.SERVLET,
				"server.port=0");
				RawWebSocket onA = RawWebSocket.connect(a.port(), "/ws/chat?user=cleo");
				RawWebSocket onB = RawWebSocket.connect(b.port(), "/ws/chat?user=cleo")) {
			connectionId(onA);
			connectionId(onB);
			assertThat(context.getBean(Switchboard.class)).isInstanceOf(RedisEmitter.class);
			String port = context.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/notify/cleo"))
					.header("Content-Type", "text/plain")
					.POST(HttpRequest.BodyPublishers.ofString("your report is ready"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body())
				.isEqualTo("{\"reached\":0,\"instances\":2,\"dropped\":0,\"notConnected\":false}");
			assertThat(text(onA)).isEqualTo("{\"text\":\"your report is ready\"}");
			assertThat(text(onB)).isEqualTo("{\"text\":\"your report is ready\"}");
		}
	}

	@Test
	void failsWithATypedErrorWhileRedisIsDownOrHasLostItsData() {
		// The instances would register again within a second (a third of the instance
		// timeout) and a command timeout after Redis lost its data: the sends and queries
		// fail for that long, then work.
		try (TestRedis own = TestRedis.startNew();
				ConfigurableApplicationContext context = sender(SenderApplication.class, WebApplicationType.NONE,
						"spring.data.redis.port=" + own.port(), "switchboard.redis.command-timeout=500ms",
						"switchboard.redis.instance-timeout=3s", "switchboard.redis.reconnect-interval=100ms")) {
			Switchboard switchboard = context.getBean(Switchboard.class);
			own.command("SET", "{" + PREFIX + "}:epoch", "before");
			assertThat(switchboard.toUser("ann").send("hello").block()).isEqualTo(SendResult.NOT_CONNECTED);
			// An instance found Redis emptied and began a new data set, as its heartbeat
			// does.
			own.command("SET", "{" + PREFIX + "}:epoch", "after");
			assertThatExceptionOfType(DeliveryException.class)
				.isThrownBy(() -> switchboard.toUser("ann").send("hello").block())
				.havingCause()
				.isInstanceOf(RegistryUnavailableException.class)
				.withMessageContaining("Redis lost its data");
			assertThatExceptionOfType(RegistryUnavailableException.class)
				.isThrownBy(() -> switchboard.isOnline("ann").block())
				.withMessageContaining("Redis lost its data");
			Await.until(() -> isNotConnected(switchboard));
			own.stop();
			assertThatExceptionOfType(DeliveryException.class)
				.isThrownBy(() -> switchboard.toUser("ann").send("hello").block())
				.withCauseInstanceOf(RegistryUnavailableException.class)
				.satisfies((ex) -> assertThat(ex.getPartialResult()).isEqualTo(SendResult.NOT_CONNECTED));
			assertThatExceptionOfType(RegistryUnavailableException.class)
				.isThrownBy(() -> switchboard.isOnline("ann").block());
			own.start();
			Await.until(() -> isNotConnected(switchboard));
		}
	}

	private static boolean isNotConnected(Switchboard switchboard) {
		try {
			return switchboard.toUser("ann").send("hello").block().notConnected();
		}
		catch (DeliveryException ex) {
			return false;
		}
	}

	private static ConfigurableApplicationContext sender(Class<?> application, WebApplicationType type,
			String... extra) {
		List<String> properties = new ArrayList<>();
		redis.springProperties().forEach((name, value) -> properties.add(name + "=" + value));
		properties.add("switchboard.redis.key-prefix=" + PREFIX);
		properties.add("spring.main.banner-mode=off");
		properties.addAll(List.of(extra));
		return new SpringApplicationBuilder(application).web(type).properties(properties.toArray(String[]::new)).run();
	}

	private static String connectionId(RawWebSocket client) {
		String hello = text(client);
		Matcher matcher = CONNECTION_ID.matcher(hello);
		assertThat(matcher.find()).as(hello).isTrue();
		return matcher.group(1);
	}

	private static String text(RawWebSocket client) {
		RawFrame frame = client.readFrame();
		assertThat(frame).isNotNull();
		assertThat(frame.opcode()).isEqualTo(RawWebSocket.TEXT);
		return new String(frame.payload(), StandardCharsets.UTF_8);
	}

	// The autoconfigure module's test application, on its test class path, which
	// maven-dependency-plugin writes down when it builds that module.
	private static AppInstance startInstance(String id) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.main.banner-mode", "off");
		properties.put("spring.autoconfigure.exclude",
				"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
						+ "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration,"
						+ "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration,"
						+ "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration");
		properties.put("switchboard.instance-id", id);
		properties.put("switchboard.redis.key-prefix", PREFIX);
		properties.putAll(redis.springProperties());
		return AppInstance.start("dev.switchboard.fixtures.ClusterTestApplication", properties,
				socketServingClassPath());
	}

	private static List<Path> socketServingClassPath() {
		Path module = Path.of("..", "autoconfigure", "target").toAbsolutePath().normalize();
		List<Path> classPath = new ArrayList<>(List.of(module.resolve("test-classes"), module.resolve("classes")));
		try {
			for (String entry : Files.readString(module.resolve("test-classpath.txt"))
				.trim()
				.split(java.io.File.pathSeparator)) {
				classPath.add(Path.of(entry));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Build the autoconfigure module first (mvn -am): it writes its test class path", ex);
		}
		return classPath;
	}

	record Notice(String text) {
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class SenderApplication {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(NoticeController.class)
	static class ServletSenderApplication {

	}

	@RestController
	static class NoticeController {

		private final Switchboard switchboard;

		NoticeController(Switchboard switchboard) {
			this.switchboard = switchboard;
		}

		@PostMapping("/notify/{user}")
		Mono<SendResult> notify(@PathVariable String user, @RequestBody String text) {
			return this.switchboard.toUser(user).send(new Notice(text));
		}

	}

}
