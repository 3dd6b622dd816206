package dev.switchboard.sockets;

import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.web.reactive.socket.CloseStatus;
import tools.jackson.databind.JsonNode;

import dev.switchboard.InboundMessage;
import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.Attribute;
import dev.switchboard.annotation.Header;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnDisconnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.PathParam;
import dev.switchboard.annotation.QueryParam;
import dev.switchboard.annotation.Socket;

@Socket(name = "arguments", path = "/ws/rooms/{room}/arguments", subprotocols = { "v2", "v1" })
class ArgumentsSocket {

	private final EventLog events;

	ArgumentsSocket(EventLog events) {
		this.events = events;
	}

	@OnConnect
	Map<String, Object> connect(SocketConnection connection, @PathParam String room, @QueryParam("n") Integer number,
			@QueryParam(value = "missing", defaultValue = "fallback") String missing, @Header("X-Client") String client,
			Principal principal) {
		connection.attributes().put("visits", 1);
		Map<String, Object> welcome = new LinkedHashMap<>();
		welcome.put("type", "welcome");
		welcome.put("room", room);
		welcome.put("number", number);
		welcome.put("missing", missing);
		welcome.put("client", client);
		welcome.put("principal", (principal != null) ? principal.getName() : null);
		return welcome;
	}

	@OnMessage("connection")
	Map<String, Object> connection(SocketConnection connection) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("id", connection.id());
		details.put("socket", connection.socket());
		details.put("user", connection.user());
		details.put("header", connection.headers().getFirst("X-Client"));
		details.put("query", connection.queryParams().getFirst("n"));
		details.put("path", connection.pathVariables());
		details.put("remote", connection.remoteAddress() != null);
		details.put("subprotocol", connection.subprotocol());
		details.put("uri", connection.uri().getPath());
		return details;
	}

	@OnMessage("string")
	String string(String text) {
		return "string:" + text;
	}

	@OnMessage("bytes")
	String bytes(byte[] bytes) {
		return "bytes:" + bytes.length;
	}

	@OnMessage("buffer")
	String buffer(ByteBuffer buffer) {
		return "buffer:" + buffer.remaining() + ":" + buffer.isReadOnly();
	}

	@OnMessage("tree")
	String tree(JsonNode tree) {
		return "tree:" + tree.get("value").asInt();
	}

	@OnMessage("record")
	Order order(Order order) {
		return order;
	}

	@OnMessage("list")
	String list(Basket basket) {
		return "list:" + basket.items().size() + ":" + basket.items().get(1).name();
	}

	@OnMessage("attribute")
	String attribute(@Attribute Integer visits, @Attribute(value = "absent", required = false) String absent) {
		return "attribute:" + visits + ":" + absent;
	}

	@OnMessage("raw")
	String raw(InboundMessage message) {
		return "raw:" + message.isText() + ":" + message.size();
	}

	@OnMessage("custom")
	String custom(Shouter shouter) {
		return shouter.shout();
	}

	@OnMessage("principal")
	String principal(Principal principal) {
		return "principal:" + ((principal != null) ? principal.getName() : "none");
	}

	@OnDisconnect
	void disconnected(SocketConnection connection, CloseStatus status) {
		this.events.record(new EventLog.Disconnected(connection.socket(), connection.id(), status));
	}

	record Order(String type, String item, int quantity) {
	}

	record Basket(List<Item> items) {
	}

	record Item(String name) {
	}

	/**
	 * A type resolved by the application's own argument resolver.
	 */
	record Shouter(String user) {

		String shout() {
			return ("hello " + this.user).toUpperCase(java.util.Locale.ROOT);
		}

	}

}
