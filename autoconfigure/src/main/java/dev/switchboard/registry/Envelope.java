package dev.switchboard.registry;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

import dev.switchboard.CloseReason;

/**
 * What travels between instances: a message for recipients, or a command for connections
 * held by another instance.
 *
 * @param kind what the envelope carries
 * @param destination who it is for
 * @param data the message's payload, the close reason (code and reason, as in a close
 * frame) or the room's name
 * @param headers what travels with it besides: the trace context of the send, the time it
 * was published; never changed once the envelope is made
 * @since 0.1.0
 */
public record Envelope(Kind kind, Destination destination, byte[] data, Map<String, String> headers) {

	/**
	 * The header holding the time an envelope was published, in microseconds since the
	 * epoch, by the publishing instance's clock.
	 */
	public static final String PUBLISHED_AT = "switchboard-published-at";

	/**
	 * The header holding the epoch of a message's position in the history of its stream
	 * (the room, user or socket it was sent to), on a stream that keeps one.
	 */
	public static final String STREAM_EPOCH = "switchboard-stream-epoch";

	/**
	 * The header holding the offset of a message's position in the history of its stream,
	 * in decimal.
	 */
	public static final String STREAM_OFFSET = "switchboard-stream-offset";

	/**
	 * An envelope with no headers.
	 * @param kind what the envelope carries
	 * @param destination who it is for
	 * @param data the payload, close reason or room
	 */
	public Envelope(Kind kind, Destination destination, byte[] data) {
		this(kind, destination, data, Map.of());
	}

	/**
	 * An envelope carrying a message, in its wire form.
	 * @param destination the recipients
	 * @param text whether it is a text message (UTF-8), else a binary one
	 * @param data the message's bytes
	 * @return the envelope
	 */
	public static Envelope message(Destination destination, boolean text, byte[] data) {
		return new Envelope(text ? Kind.TEXT : Kind.BINARY, destination, data);
	}

	/**
	 * An envelope closing the recipients' connections.
	 * @param destination the recipients
	 * @param closeReason the close code and reason
	 * @return the envelope
	 */
	public static Envelope close(Destination destination, CloseReason closeReason) {
		byte[] reason = (closeReason.reason() != null) ? closeReason.reason().getBytes(StandardCharsets.UTF_8)
				: new byte[0];
		byte[] data = new byte[reason.length + 2];
		data[0] = (byte) (closeReason.code() >> 8);
		data[1] = (byte) closeReason.code();
		System.arraycopy(reason, 0, data, 2, reason.length);
		return new Envelope(Kind.CLOSE, destination, data);
	}

	/**
	 * An envelope asking a connection's instance to add it to or remove it from a room.
	 * @param join {@code true} to join, {@code false} to leave
	 * @param connectionId the connection
	 * @param room the room
	 * @return the envelope
	 */
	public static Envelope membership(boolean join, String connectionId, String room) {
		return new Envelope(join ? Kind.JOIN : Kind.LEAVE, Destination.connection(connectionId),
				room.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * This envelope with headers.
	 * @param headers the headers, which the envelope keeps as they are
	 * @return the envelope
	 */
	public Envelope withHeaders(Map<String, String> headers) {
		return new Envelope(this.kind, this.destination, this.data, headers);
	}

	/**
	 * The close code and reason this envelope carries.
	 * @return the close reason
	 */
	public CloseReason toCloseReason() {
		int code = ((this.data[0] & 0xff) << 8) | (this.data[1] & 0xff);
		String reason = new String(this.data, 2, this.data.length - 2, StandardCharsets.UTF_8);
		return new CloseReason(code, reason.isEmpty() ? null : reason);
	}

	/**
	 * The room this envelope names.
	 * @return the room
	 */
	public String toRoom() {
		return new String(this.data, StandardCharsets.UTF_8);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Envelope envelope && this.kind == envelope.kind
				&& this.destination.equals(envelope.destination) && Arrays.equals(this.data, envelope.data)
				&& this.headers.equals(envelope.headers);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.kind, this.destination, Arrays.hashCode(this.data), this.headers);
	}

	@Override
	public String toString() {
		return "Envelope[" + this.kind + " for " + this.destination + ", " + this.data.length + " bytes]";
	}

	/**
	 * What an envelope carries.
	 */
	public enum Kind {

		/**
		 * A text message.
		 */
		TEXT,

		/**
		 * A binary message.
		 */
		BINARY,

		/**
		 * A close command.
		 */
		CLOSE,

		/**
		 * A room join for a connection of the receiving instance.
		 */
		JOIN,

		/**
		 * A room leave for a connection of the receiving instance.
		 */
		LEAVE

	}

}
