package dev.switchboard.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import dev.switchboard.CloseCodes;
import dev.switchboard.CloseReason;
import dev.switchboard.Recipients;
import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;

/**
 * A request to the HTTP send API, read from its JSON body and checked: whom it is for,
 * the connections it leaves out, and the payload it sends or the status it closes with. A
 * body that is not such a request is refused with an {@link Invalid} exception whose
 * message tells the caller what is wrong.
 *
 * @param target the kind of recipients: {@code connection}, {@code user}, {@code users},
 * {@code room} or {@code socket}
 * @param names the connection id, user, users, room or socket
 * @param except the connections left out
 * @param payload the payload to send, or {@code null} for a close
 * @param close the status to close with, or {@code null} for a send
 */
record HttpSendRequest(String target, List<String> names, List<String> except, @Nullable Object payload,
		@Nullable CloseReason close) {

	private static final Set<String> FIELDS = Set.of("to", "except", "payload", "close");

	private static final List<String> TARGETS = List.of("connection", "user", "users", "room", "socket");

	private static final Set<String> CLOSE_FIELDS = Set.of("code", "reason");

	/**
	 * Reads a request from its body.
	 * @param body the body, as a tree
	 * @return the request
	 * @throws Invalid when the body is not a request
	 */
	static HttpSendRequest read(JsonNode body) {
		if (!body.isObject()) {
			throw new Invalid("the body must be a JSON object");
		}
		for (String field : body.propertyNames()) {
			if (!FIELDS.contains(field)) {
				throw new Invalid("unknown field '" + field + "'; a request has to, except, and payload or close");
			}
		}
		JsonNode to = body.get("to");
		if (to == null || !to.isObject() || to.size() != 1) {
			throw new Invalid("'to' must be an object with one of " + String.join(", ", TARGETS));
		}
		Map.Entry<String, JsonNode> target = to.properties().iterator().next();
		if (!TARGETS.contains(target.getKey())) {
			throw new Invalid(
					"unknown target '" + target.getKey() + "'; 'to' takes one of " + String.join(", ", TARGETS));
		}
		List<String> names = target.getKey().equals("users") ? strings(target.getValue(), "to.users")
				: List.of(string(target.getValue(), "to." + target.getKey()));
		List<String> except = except(body.get("except"));
		JsonNode payload = body.get("payload");
		JsonNode close = body.get("close");
		if ((payload == null) == (close == null)) {
			throw new Invalid("a request has either a 'payload' to send or a 'close' status");
		}
		if (payload != null) {
			if (payload.isNull()) {
				throw new Invalid("'payload' must not be null");
			}
			// A string goes as a text frame, as Recipients.send(String) sends it.
			return new HttpSendRequest(target.getKey(), names, except,
					payload.isString() ? payload.asString() : payload, null);
		}
		return new HttpSendRequest(target.getKey(), names, except, null, closeReason(close));
	}

	/**
	 * Sends the payload to the recipients, or closes them.
	 * @param switchboard the switchboard
	 * @return what is known of the send or close
	 */
	Mono<SendResult> sendWith(Switchboard switchboard) {
		Recipients recipients = switch (this.target) {
			case "connection" -> switchboard.toConnection(this.names.get(0));
			case "user" -> switchboard.toUser(this.names.get(0));
			case "users" -> switchboard.toUsers(this.names);
			case "room" -> switchboard.toRoom(this.names.get(0));
			default -> switchboard.toSocket(this.names.get(0));
		};
		for (String connectionId : this.except) {
			recipients = recipients.except(connectionId);
		}
		return (this.close != null) ? recipients.close(this.close) : recipients.send(this.payload);
	}

	private static List<String> except(@Nullable JsonNode except) {
		if (except == null) {
			return List.of();
		}
		return except.isArray() ? strings(except, "except") : List.of(string(except, "except"));
	}

	private static CloseReason closeReason(JsonNode close) {
		if (!close.isObject()) {
			throw new Invalid("'close' must be an object with a 'code' and an optional 'reason'");
		}
		for (String field : close.propertyNames()) {
			if (!CLOSE_FIELDS.contains(field)) {
				throw new Invalid("unknown field 'close." + field + "'; 'close' has a code and a reason");
			}
		}
		JsonNode code = close.get("code");
		if (code == null || !code.isInt()) {
			throw new Invalid("'close.code' must be a close code, such as 1000 or 4000");
		}
		if (!CloseCodes.isSendable(code.intValue())) {
			throw new Invalid("'close.code' " + code.intValue() + " cannot be sent; use 1000 to 1003, 1007 to 1014, "
					+ "or 3000 to 4999");
		}
		JsonNode reason = close.get("reason");
		return new CloseReason(code.intValue(), (reason != null) ? string(reason, "close.reason") : null);
	}

	private static List<String> strings(JsonNode node, String field) {
		if (!node.isArray()) {
			throw new Invalid("'" + field + "' must be an array of strings");
		}
		List<String> strings = new ArrayList<>(node.size());
		for (JsonNode element : node) {
			strings.add(string(element, field + "[]"));
		}
		return strings;
	}

	private static String string(JsonNode node, String field) {
		if (!node.isString() || node.asString().isEmpty()) {
			throw new Invalid("'" + field + "' must be a non-empty string");
		}
		return node.asString();
	}

	/**
	 * A body that is not a request; its message is for the caller.
	 */
	static final class Invalid extends RuntimeException {

		private static final long serialVersionUID = 1L;

		Invalid(String message) {
			// The caller's mistake: no stack trace to fill.
			super(message, null, false, false);
		}

	}

}
