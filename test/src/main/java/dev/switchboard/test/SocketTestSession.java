package dev.switchboard.test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.switchboard.test.WsClient.Frame;

/**
 * An open connection of a {@link SocketTestClient}, on which a test sends messages and
 * states what it expects back, in order, in the style of {@code StepVerifier}: each
 * {@code expect} method takes the next message and fails, saying what it received
 * instead, when that message is not the one expected or none comes within the client's
 * timeout. {@link #request(String, Object)} is the exception: it waits for the reply that
 * carries its {@code id} and keeps the messages that came before it for the next
 * {@code expect} calls.
 * <p>
 * Not thread-safe: one test thread drives a session. Close it when done; an open session
 * is closed with 1000.
 *
 * @since 0.1.0
 */
public final class SocketTestSession implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final WsClient client;

	private final Duration timeout;

	private final String typeField;

	private final Deque<Frame> pending = new ArrayDeque<>();

	private final AtomicInteger requests = new AtomicInteger();

	SocketTestSession(WsClient client, Duration timeout, String typeField) {
		this.client = client;
		this.timeout = timeout;
		this.typeField = typeField;
	}

	/**
	 * The subprotocol the server selected.
	 * @return the subprotocol, or {@code null} when none was
	 */
	public @Nullable String subprotocol() {
		return this.client.subprotocol();
	}

	/**
	 * Sends a text message.
	 * @param text the text, sent as it is
	 * @return this session
	 */
	public SocketTestSession sendText(String text) {
		this.client.send(text);
		return this;
	}

	/**
	 * Sends a value as JSON, in a text message.
	 * @param value a {@code Map}, a record, a bean or a {@code JsonNode}; a
	 * {@code String} is sent as a JSON string, use {@link #sendText(String)} for raw text
	 * @return this session
	 */
	public SocketTestSession sendJson(Object value) {
		this.client.send(json.writeValueAsString(value));
		return this;
	}

	/**
	 * Sends a binary message.
	 * @param bytes the payload
	 * @return this session
	 */
	public SocketTestSession sendBytes(byte[] bytes) {
		this.client.sendBinary(bytes);
		return this;
	}

	/**
	 * Takes the next message and expects it to be a JSON text message that matches.
	 * @param expected what the message must satisfy
	 * @return the message
	 */
	public JsonNode expectMessage(Predicate<JsonNode> expected) {
		JsonNode message = nextJson("a message that matches");
		if (!expected.test(message)) {
			throw new AssertionError("Expected a message that matches, received " + message);
		}
		return message;
	}

	/**
	 * Takes the next message and expects it to be a JSON object of a type, such as
	 * {@code {"type": "welcome", ...}}.
	 * @param type the value of its type field
	 * @return the message
	 */
	public JsonNode expectType(String type) {
		String expected = "a message of type \"" + type + "\"";
		JsonNode message = nextJson(expected);
		if (!type.equals(textOf(message, this.typeField))) {
			throw new AssertionError("Expected " + expected + ", received " + message);
		}
		return message;
	}

	/**
	 * Takes the next message and expects it to be an error reply with a code, as
	 * {@code {"error": "...", "code": "not-found"}}.
	 * @param code the code: {@code bad-request}, {@code not-found}, {@code forbidden},
	 * {@code rate-limited}, {@code timeout} or {@code internal}
	 * @return the error reply
	 */
	public JsonNode expectError(String code) {
		String expected = "an error reply with code \"" + code + "\"";
		JsonNode message = nextJson(expected);
		if (!message.has("error") || !code.equals(textOf(message, "code"))) {
			throw new AssertionError("Expected " + expected + ", received " + message);
		}
		return message;
	}

	/**
	 * Takes the next message and expects it to be a text message.
	 * @return its text
	 */
	public String expectText() {
		Frame frame = next("a text message");
		if (!frame.text()) {
			throw new AssertionError("Expected a text message, received " + frame);
		}
		return frame.asText();
	}

	/**
	 * Takes the next message and expects it to be a binary message.
	 * @return its payload
	 */
	public byte[] expectBytes() {
		Frame frame = next("a binary message");
		if (frame.text()) {
			throw new AssertionError("Expected a binary message, received " + frame);
		}
		return frame.payload();
	}

	/**
	 * Expects no message for a while: it waits that long, so keep it short.
	 * @param duration how long nothing may come
	 * @return this session
	 */
	public SocketTestSession expectNoMessage(Duration duration) {
		Frame frame = this.pending.isEmpty() ? this.client.poll(duration) : this.pending.poll();
		if (frame != null) {
			throw new AssertionError("Expected no message for " + duration + ", received " + frame);
		}
		return this;
	}

	/**
	 * Sends a request, a JSON object with a type and a generated {@code id}, and waits
	 * for the reply that carries the same {@code id}, whether a reply or an error reply.
	 * Messages that come before it are kept for the next {@code expect} calls.
	 * @param type the request's type, set in the type field
	 * @param payload the rest of the request, which must serialize to a JSON object, such
	 * as a {@code Map} or a record
	 * @return the reply, {@code {"error": ..., "code": ..., "id": ...}} for an error
	 */
	public JsonNode request(String type, Object payload) {
		JsonNode tree = json.valueToTree(payload);
		if (!(tree instanceof ObjectNode request)) {
			throw new IllegalArgumentException("A request's payload must be a JSON object, got " + tree);
		}
		String id = "r" + this.requests.incrementAndGet();
		request.put(this.typeField, type);
		request.put("id", id);
		sendJson(request);
		return awaitReply(id, type);
	}

	private JsonNode awaitReply(String id, String type) {
		List<Frame> before = new ArrayList<>();
		long deadline = System.nanoTime() + this.timeout.toNanos();
		try {
			while (true) {
				Frame frame = poll(deadline);
				if (frame == null) {
					throw new AssertionError("No reply with id \"" + id + "\" to the \"" + type + "\" request within "
							+ this.timeout + closedSuffix() + receivedSuffix(before));
				}
				JsonNode message = frame.text() ? parse(frame.asText()) : null;
				if (message != null && id.equals(textOf(message, "id"))) {
					return message;
				}
				before.add(frame);
			}
		}
		finally {
			for (int i = before.size() - 1; i >= 0; i--) {
				this.pending.addFirst(before.get(i));
			}
		}
	}

	private @Nullable Frame poll(long deadline) {
		if (this.pending.size() > 0) {
			return this.pending.poll();
		}
		long left = deadline - System.nanoTime();
		return (left > 0) ? this.client.poll(Duration.ofNanos(left)) : null;
	}

	/**
	 * Expects the server to close the connection with a code, skipping the messages that
	 * come before the close.
	 * @param code the expected close code, such as 1008 or 1009
	 * @return the close status, with the server's reason
	 */
	public CloseStatus expectClose(int code) {
		CloseStatus status = this.client.closeStatus(this.timeout);
		if (status == null) {
			throw new AssertionError("Expected the connection to close with " + code + ", but it was still open after "
					+ this.timeout + receivedSuffix(received()));
		}
		if (status.getCode() != code) {
			throw new AssertionError("Expected the connection to close with " + code + ", but it closed with "
					+ status.getCode() + reasonOf(status) + receivedSuffix(received()));
		}
		return status;
	}

	/**
	 * Closes the connection with a code and waits for the server's answer.
	 * @param code the close code
	 */
	public void close(int code) {
		this.client.close(code);
		this.client.closeStatus(this.timeout);
	}

	/**
	 * Closes the connection with 1000 unless it is closed already.
	 */
	@Override
	public void close() {
		this.client.close();
	}

	private JsonNode nextJson(String expected) {
		Frame frame = next(expected);
		JsonNode message = frame.text() ? parse(frame.asText()) : null;
		if (message == null) {
			throw new AssertionError("Expected " + expected + ", received " + frame + ", which is not JSON");
		}
		return message;
	}

	private Frame next(String expected) {
		Frame frame = this.pending.isEmpty() ? this.client.poll(this.timeout) : this.pending.poll();
		if (frame == null) {
			throw new AssertionError(
					"Expected " + expected + ", received nothing within " + this.timeout + closedSuffix());
		}
		return frame;
	}

	private List<Frame> received() {
		List<Frame> frames = new ArrayList<>(this.pending);
		this.pending.clear();
		frames.addAll(this.client.drain());
		return frames;
	}

	private String closedSuffix() {
		CloseStatus status = this.client.closeStatus(Duration.ZERO);
		return (status != null) ? "; the connection closed with " + status.getCode() + reasonOf(status) : "";
	}

	private static String reasonOf(CloseStatus status) {
		return (status.getReason() != null && !status.getReason().isEmpty()) ? " (" + status.getReason() + ")" : "";
	}

	private static String receivedSuffix(List<Frame> frames) {
		return frames.isEmpty() ? "" : "; received before: " + frames;
	}

	private static @Nullable JsonNode parse(String text) {
		try {
			return json.readTree(text);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static @Nullable String textOf(JsonNode message, String field) {
		JsonNode value = message.get(field);
		return (value != null && value.isValueNode()) ? Objects.toString(value.asString(), null) : null;
	}

}
