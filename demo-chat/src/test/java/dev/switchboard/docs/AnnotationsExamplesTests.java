package dev.switchboard.docs;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.socket.CloseStatus;
import tools.jackson.databind.JsonNode;

import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the example sockets of docs/annotations.md as an application and checks what the
 * page says they do.
 */
class AnnotationsExamplesTests {

	private static final DocsApps apps = new DocsApps();

	private static ConfigurableApplicationContext app;

	@BeforeAll
	static void startApp() {
		app = apps.start(
				List.of(DocsTranscriptsTests.DocsApplication.class, LoungeSocket.class, RoomSocket.class,
						GreetingSocket.class, LocaleArgumentResolver.class, GameSocket.class),
				List.of("--switchboard.allowed-origins=https://global.example.com"));
	}

	@AfterAll
	static void stopApp() {
		apps.close();
	}

	@Test
	void loungeWelcomesANicknameAndClosesAClientWithoutOne() {
		try (WsClient client = connect("/ws/lounge?nickname=ada", (headers) -> {
		})) {
			JsonNode welcome = client.nextJson();
			assertThat(welcome.get("connectionId").asString()).isNotBlank();
			assertThat(welcome.get("nickname").asString()).isEqualTo("ada");
			client.send("{\"type\":\"say\",\"text\":\"hi\"}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"from\":\"ada\",\"text\":\"hi\"}");
		}
		try (WsClient client = connect("/ws/lounge", (headers) -> {
		})) {
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("a nickname is required");
		}
	}

	@Test
	void roomSocketRelaysTextToTheOtherConnectionsOfTheRoomOnly() {
		Consumer<HttpHeaders> origin = (headers) -> headers.set("Origin", "https://chat.example.com");
		try (WsClient ann = connect("/ws/rooms/kitchen", origin);
				WsClient bob = connect("/ws/rooms/kitchen", origin);
				WsClient cat = connect("/ws/rooms/hall", origin);
				WsClient dan = connect("/ws/rooms/hall", origin)) {
			ann.send("hi kitchen");
			assertThat(bob.nextText()).isEqualTo("hi kitchen");
			bob.send("hi ann");
			assertThat(ann.nextText()).as("not its own message").isEqualTo("hi ann");
			dan.send("hi hall");
			assertThat(cat.nextText()).as("not the kitchen's message").isEqualTo("hi hall");
		}
	}

	@Test
	void roomSocketsOriginsReplaceTheGlobalList() {
		assertThat(handshakeFrom("/ws/rooms/kitchen", "https://global.example.com")).startsWith("HTTP/1.1 403");
		assertThat(handshakeFrom("/ws/rooms/kitchen", "https://chat.example.com")).startsWith("HTTP/1.1 101");
		assertThat(handshakeFrom("/ws/lounge?nickname=ada", "https://global.example.com")).startsWith("HTTP/1.1 101");
	}

	@Test
	void greetingSocketGreetsInTheClientsLanguage() {
		try (WsClient french = connect("/ws/greetings", (headers) -> headers.set("Accept-Language", "fr-FR"));
				WsClient other = connect("/ws/greetings", (headers) -> {
				})) {
			french.send("{\"type\":\"greet\"}");
			other.send("{\"type\":\"greet\"}");
			assertThat(french.nextText()).isEqualTo("Bonjour");
			assertThat(other.nextText()).isEqualTo("Hello");
		}
	}

	@Test
	void gameSocketLetsPlayersMoveAndRefusesSpectators() {
		try (WsClient player = connect("/games/7?role=player", (headers) -> {
		}); WsClient spectator = connect("/games/7", (headers) -> {
		})) {
			player.send("{\"type\":\"move\",\"from\":\"e2\",\"to\":\"e4\"}");
			assertThat(player.nextJson().toString())
				.isEqualTo("{\"game\":7,\"player\":\"anonymous\",\"from\":\"e2\",\"to\":\"e4\"}");
			spectator.send("{\"type\":\"move\",\"from\":\"e7\",\"to\":\"e5\",\"id\":2}");
			assertThat(spectator.nextJson().toString())
				.isEqualTo("{\"error\":\"spectators cannot move\",\"code\":\"forbidden\",\"id\":2}");
		}
	}

	private static String handshakeFrom(String path, String origin) {
		try (RawWebSocket client = RawWebSocket.handshake(DocsApps.port(app), path, Map.of("Origin", origin))) {
			return client.responseHead();
		}
	}

	private static WsClient connect(String path, Consumer<HttpHeaders> headers) {
		// From an origin of the global list, unless the test says otherwise.
		return WsClient.connect(URI.create("ws://localhost:" + DocsApps.port(app) + path),
				(all) -> headers.accept(all.set("Origin", "https://global.example.com")));
	}

}
