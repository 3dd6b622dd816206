package dev.switchboard;

import reactor.core.publisher.Mono;

/**
 * A set of connections a {@link Switchboard} can send to or close, resolved when the
 * returned publisher is subscribed to.
 *
 * @since 0.1.0
 */
public interface Recipients {

	/**
	 * Sends a payload to every recipient. The payload is encoded once: a {@code String}
	 * as a text frame, a {@code byte[]} or {@code ByteBuffer} as a binary frame, anything
	 * else as JSON with the application's JSON mapper.
	 * @param payload the payload
	 * @return what is known of the delivery; an error of type {@link DeliveryException}
	 * when the registry could not be reached
	 */
	Mono<SendResult> send(Object payload);

	/**
	 * Closes every recipient's connection with the given code and reason, after the
	 * messages already queued for it.
	 * @param reason the close code and reason sent to the clients
	 * @return what is known of the close, as for {@link #send(Object)}; an
	 * {@link IllegalArgumentException} for a code that no endpoint may send
	 */
	Mono<SendResult> close(CloseReason reason);

	/**
	 * Leaves one connection out, typically the sender of a message relayed to its room;
	 * call it again to leave out more.
	 * @param connectionId the connection to leave out
	 * @return recipients without that connection
	 */
	Recipients except(String connectionId);

}
