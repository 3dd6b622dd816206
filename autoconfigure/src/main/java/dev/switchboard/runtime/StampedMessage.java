package dev.switchboard.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.handler.support.OutboundMessage;
import dev.switchboard.registry.StreamHistory.Position;

/**
 * A text message of a stream with history, at its position, and its wire form for the
 * connections that recover, made once for all of them on this instance:
 * <pre>{"type":"switchboard.message","stream":"room:lobby","epoch":"…","offset":13,"data":…}</pre>
 * where {@code data} is the message as sent when it is JSON, else the text as a JSON
 * string.
 */
final class StampedMessage {

	// Escapes the names and checks the messages; no application type is bound here.
	static final JsonMapper json = JsonMapper.builder().build();

	private final String stream;

	private final Position position;

	private final byte[] text;

	private final boolean skipped;

	private volatile @Nullable OutboundMessage wrapped;

	StampedMessage(String stream, Position position, byte[] text) {
		this(stream, position, text, false);
	}

	private StampedMessage(String stream, Position position, byte[] text, boolean skipped) {
		this.stream = stream;
		this.position = position;
		this.text = text;
		this.skipped = skipped;
	}

	/**
	 * This message for a connection that its send left out: it moves the connection's
	 * position, and is not sent.
	 * @return the message to skip
	 */
	StampedMessage skipped() {
		return new StampedMessage(this.stream, this.position, this.text, true);
	}

	boolean isSkipped() {
		return this.skipped;
	}

	String stream() {
		return this.stream;
	}

	Position position() {
		return this.position;
	}

	long offset() {
		return this.position.offset();
	}

	/**
	 * The message as the connections that do not recover see it.
	 * @return the plain message
	 */
	OutboundMessage plain() {
		return OutboundMessage.text(this.text);
	}

	/**
	 * The message as the connections that recover see it.
	 * @return the wrapped message
	 */
	OutboundMessage wrapped() {
		OutboundMessage wrapped = this.wrapped;
		if (wrapped == null) {
			wrapped = OutboundMessage.text(wrap());
			this.wrapped = wrapped;
		}
		return wrapped;
	}

	private byte[] wrap() {
		byte[] head = ("{\"type\":\"switchboard.message\",\"stream\":" + json.writeValueAsString(this.stream)
				+ ",\"epoch\":" + json.writeValueAsString(this.position.epoch()) + ",\"offset\":"
				+ this.position.offset() + ",\"data\":")
			.getBytes(StandardCharsets.UTF_8);
		byte[] data = isJson(this.text) ? this.text
				: json.writeValueAsBytes(new String(this.text, StandardCharsets.UTF_8));
		ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + data.length + 1);
		out.writeBytes(head);
		out.writeBytes(data);
		out.write('}');
		return out.toByteArray();
	}

	private static boolean isJson(byte[] text) {
		try {
			return !json.readTree(text).isMissingNode();
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	/**
	 * What a connection that recovers is told once a stream is in sync: its position, and
	 * whether what it missed could be sent (the messages came before this).
	 * @param stream the stream
	 * @param position the position the connection is at
	 * @param recovered {@code false} when the history no longer reached back to the
	 * position the connection had
	 * @return the message
	 */
	static OutboundMessage recovered(String stream, Position position, boolean recovered) {
		return OutboundMessage.text("{\"type\":\"switchboard.recovered\",\"stream\":" + json.writeValueAsString(stream)
				+ ",\"epoch\":" + json.writeValueAsString(position.epoch()) + ",\"offset\":" + position.offset()
				+ ",\"recovered\":" + recovered + "}");
	}

}
