package dev.switchboard.runtime;

import java.util.Locale;

import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.ErrorCode;
import dev.switchboard.SendResult;
import dev.switchboard.registry.Envelope;

/**
 * What the runtime reports as it works; the Micrometer implementation turns it into
 * meters. Every method is called on hot paths and must not block. What concerns one
 * socket goes to its {@link SocketMetrics}, resolved once per socket when its endpoint is
 * created, so that nothing is looked up per message. Every method does nothing by
 * default.
 *
 * @since 0.1.0
 */
public interface SwitchboardMetrics {

	/**
	 * Metrics that record nothing.
	 */
	SwitchboardMetrics NONE = new SwitchboardMetrics() {
	};

	/**
	 * The metrics of one socket; called once per socket, at startup.
	 * @param socket the socket's name
	 * @return its metrics
	 */
	default SocketMetrics socket(String socket) {
		return SocketMetrics.NONE;
	}

	/**
	 * A TCP connection was closed because no WebSocket handshake completed within the
	 * handshake timeout of its accept; its socket is not known.
	 */
	default void handshakeTimedOut() {
	}

	/**
	 * A send or a close through the {@link dev.switchboard.Switchboard} completed.
	 * @param kind what was sent
	 * @param result its result
	 */
	default void sent(SendKind kind, SendResult result) {
	}

	/**
	 * A send or a close through the {@link dev.switchboard.Switchboard} failed.
	 * @param kind what was sent
	 */
	default void sendFailed(SendKind kind) {
	}

	/**
	 * A send could not reach the other instances.
	 * @param cause why
	 */
	default void deliveryFailed(Throwable cause) {
	}

	/**
	 * An envelope another instance published arrived here.
	 * @param kind what it carries
	 * @param micros the time from its publication to its arrival, by the two instances'
	 * clocks; 0 when the publishing instance's clock is ahead
	 */
	default void deliveryLatency(Envelope.Kind kind, long micros) {
	}

	/**
	 * This instance purged the connections of a dead instance from the registry.
	 */
	default void instancePurged() {
	}

	/**
	 * What the runtime reports about one socket.
	 */
	interface SocketMetrics {

		/**
		 * Metrics that record nothing.
		 */
		SocketMetrics NONE = new SocketMetrics() {
		};

		/**
		 * A handshake was refused, before or right after the upgrade.
		 * @param reason why
		 * @param status the HTTP status answered, or the one the refusal stands for
		 */
		default void handshakeRejected(HandshakeRejection reason, HttpStatusCode status) {
		}

		/**
		 * A connection opened: it was registered and its handlers run.
		 */
		default void connectionOpened() {
		}

		/**
		 * A connection that opened has closed.
		 * @param status the status it closed with
		 * @param clients whether the status is the client's, not this side's
		 */
		default void connectionClosed(CloseStatus status, boolean clients) {
		}

		/**
		 * A message was received from a client.
		 * @param bytes its size
		 */
		default void messageReceived(int bytes) {
		}

		/**
		 * A message was written to a client's connection.
		 * @param bytes its size
		 */
		default void messageSent(int bytes) {
		}

		/**
		 * A message for a client was dropped.
		 * @param reason why
		 */
		default void messageDropped(DropReason reason) {
		}

		/**
		 * A connection was closed because its client does not read.
		 * @param reason how that was found
		 */
		default void slowConsumerClosed(SlowConsumer reason) {
		}

		/**
		 * An error reply was sent.
		 * @param code its code
		 */
		default void errorReplied(ErrorCode code) {
		}

	}

	/**
	 * Why a handshake was refused; {@link #tag()} is the meter's tag.
	 */
	enum HandshakeRejection {

		/**
		 * The application is shutting down.
		 */
		SHUTTING_DOWN,

		/**
		 * {@code Sec-WebSocket-Version} is not 13.
		 */
		VERSION,

		/**
		 * Not a valid WebSocket handshake.
		 */
		BAD_REQUEST,

		/**
		 * The origin is not allowed.
		 */
		ORIGIN,

		/**
		 * None of the offered subprotocols is supported.
		 */
		SUBPROTOCOL,

		/**
		 * The instance holds {@code connections-per-instance} connections.
		 */
		INSTANCE_LIMIT,

		/**
		 * The authenticator rejected the token.
		 */
		INVALID_TOKEN,

		/**
		 * The socket needs a user and there is none.
		 */
		UNAUTHENTICATED,

		/**
		 * The user holds {@code connections-per-user} connections.
		 */
		USER_LIMIT,

		/**
		 * An interceptor's {@code beforeHandshake} refused it.
		 */
		INTERCEPTOR,

		/**
		 * The admission failed with an unexpected exception.
		 */
		ERROR;

		private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

		/**
		 * The value of the meter's {@code reason} tag.
		 * @return the tag
		 */
		public String tag() {
			return this.tag;
		}

	}

	/**
	 * Why a message for a client was dropped; {@link #tag()} is the meter's tag.
	 */
	enum DropReason {

		/**
		 * It did not fit the connection's outbound buffer.
		 */
		BUFFER_FULL,

		/**
		 * The connection was closing: it came after its close began, or waited in the
		 * buffer when a close dropped what was queued.
		 */
		CLOSED;

		private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

		/**
		 * The value of the meter's {@code reason} tag.
		 * @return the tag
		 */
		public String tag() {
			return this.tag;
		}

	}

	/**
	 * How a client that does not read was found; {@link #tag()} is the meter's tag.
	 */
	enum SlowConsumer {

		/**
		 * Its outbound buffer filled up, with the close overflow policy.
		 */
		BUFFER_FULL,

		/**
		 * The network took none of its data for the write timeout.
		 */
		WRITE_TIMEOUT;

		private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

		/**
		 * The value of the meter's {@code reason} tag.
		 * @return the tag
		 */
		public String tag() {
			return this.tag;
		}

	}

	/**
	 * What a send through the {@link dev.switchboard.Switchboard} was.
	 */
	enum SendKind {

		/**
		 * A message.
		 */
		MESSAGE,

		/**
		 * A close.
		 */
		CLOSE;

		private final String tag = name().toLowerCase(Locale.ROOT);

		/**
		 * The value of the meter's {@code kind} tag.
		 * @return the tag
		 */
		public String tag() {
			return this.tag;
		}

	}

}
