package dev.switchboard.registry;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Carries envelopes between instances, at most once. An instance publishes what it cannot
 * deliver itself and receives what others publish for its connections.
 *
 * @since 0.1.0
 */
public interface MessageBus {

	/**
	 * Publishes an envelope to the other instances that hold its recipients.
	 * @param envelope the envelope
	 * @return how many instances it was published to; an error when the bus is
	 * unreachable
	 */
	Mono<Integer> publish(Envelope envelope);

	/**
	 * Envelopes published by other instances for this one. The runtime subscribes once.
	 * @return the envelopes
	 */
	Flux<Envelope> receive();

}
