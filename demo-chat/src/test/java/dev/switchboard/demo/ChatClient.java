package dev.switchboard.demo;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.springframework.web.reactive.socket.CloseStatus;
import tools.jackson.databind.JsonNode;

import dev.switchboard.test.WsClient;

/**
 * A client of the chat socket that signs in as the page does, with the token offered as
 * the subprotocol after {@code switchboard.token}, and reads room messages as the page's
 * switchboard.js does, unwrapped from their position.
 */
final class ChatClient implements AutoCloseable {

	private static final int MAX_SKIPPED = 50;

	private final WsClient client;

	private ChatClient(WsClient client) {
		this.client = client;
	}

	static ChatClient connect(int port, String token) {
		return new ChatClient(WsClient.connect(URI.create("ws://localhost:" + port + "/ws/chat"), (headers) -> {
		}, "switchboard.token", token));
	}

	static ChatClient connectWithoutToken(int port) {
		return new ChatClient(WsClient.connect(URI.create("ws://localhost:" + port + "/ws/chat")));
	}

	ChatClient send(String json) {
		this.client.send(json);
		return this;
	}

	/**
	 * Waits for the next message of a type, passing over the others (presence of other
	 * tests' users, for example).
	 */
	JsonNode next(String type) {
		return next((json) -> type.equals(json.path("type").asString()), "a '" + type + "' message");
	}

	JsonNode nextError() {
		return next((json) -> json.has("error"), "an error");
	}

	JsonNode next(Predicate<JsonNode> wanted, String description) {
		List<String> skipped = new ArrayList<>();
		while (skipped.size() < MAX_SKIPPED) {
			JsonNode json = unwrapped(this.client.nextJson());
			if (wanted.test(json)) {
				return json;
			}
			skipped.add(json.toString());
		}
		throw new AssertionError("No " + description + " among " + skipped);
	}

	// The chat socket recovers: a room's messages come wrapped with their position, as
	// switchboard.js reads them, and each room's sync ends with a switchboard.recovered.
	private static JsonNode unwrapped(JsonNode json) {
		return "switchboard.message".equals(json.path("type").asString()) ? json.get("data") : json;
	}

	String subprotocol() {
		return this.client.subprotocol();
	}

	CloseStatus awaitClose() {
		return this.client.awaitClose();
	}

	@Override
	public void close() {
		this.client.close();
	}

}
