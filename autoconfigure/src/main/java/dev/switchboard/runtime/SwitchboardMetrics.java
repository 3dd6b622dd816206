package dev.switchboard.runtime;

import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.ErrorCode;
import dev.switchboard.OverflowPolicy;
import dev.switchboard.registry.Envelope;

/**
 * What the runtime reports as it works; the Micrometer implementation turns it into
 * meters. Every method is called on hot paths and must not block.
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
	 * A handshake was refused.
	 * @param socket the socket's name
	 * @param status the HTTP status answered
	 */
	default void handshakeRejected(String socket, HttpStatusCode status) {
	}

	/**
	 * A connection opened.
	 * @param socket the socket's name
	 */
	default void connectionOpened(String socket) {
	}

	/**
	 * A connection closed.
	 * @param socket the socket's name
	 * @param status the status it closed with
	 */
	default void connectionClosed(String socket, CloseStatus status) {
	}

	/**
	 * A message was received from a client.
	 * @param socket the socket's name
	 * @param bytes its size
	 */
	default void messageReceived(String socket, int bytes) {
	}

	/**
	 * An error reply was sent.
	 * @param socket the socket's name
	 * @param code its code
	 */
	default void errorReplied(String socket, ErrorCode code) {
	}

	/**
	 * A message found a connection's outbound buffer full.
	 * @param socket the socket's name
	 * @param policy what was done about it
	 */
	default void outboundOverflow(String socket, OverflowPolicy policy) {
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

}
