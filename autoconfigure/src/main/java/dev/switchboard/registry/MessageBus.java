package dev.switchboard.registry;

import java.util.LinkedHashMap;
import java.util.Map;

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
	 * Gives a message of a stream with history its position and publishes it to the other
	 * instances that hold its recipients, with its position in the envelope's headers.
	 * This default appends to the history, then publishes; a bus that can do both in one
	 * step does, so that nothing is kept that was not published.
	 * @param envelope the envelope of the message
	 * @param stream the stream, such as {@code room:lobby}
	 * @param limits how much history the stream keeps
	 * @param history the history
	 * @return the message's position and how many instances it was published to; an error
	 * when the history or the bus is unreachable
	 * @since 0.2.0
	 */
	default Mono<Published> publish(Envelope envelope, String stream, StreamHistory.Limits limits,
			StreamHistory history) {
		return history.append(stream, limits, envelope.data())
			.flatMap((position) -> publish(positioned(envelope, position))
				.map((instances) -> new Published(position, instances)));
	}

	/**
	 * An envelope with a message's position in its headers.
	 * @param envelope the envelope
	 * @param position the position of its message in its stream
	 * @return the envelope with the headers {@link Envelope#STREAM_EPOCH} and
	 * {@link Envelope#STREAM_OFFSET}
	 * @since 0.2.0
	 */
	static Envelope positioned(Envelope envelope, StreamHistory.Position position) {
		Map<String, String> headers = new LinkedHashMap<>(envelope.headers());
		headers.put(Envelope.STREAM_EPOCH, position.epoch());
		headers.put(Envelope.STREAM_OFFSET, Long.toString(position.offset()));
		return envelope.withHeaders(headers);
	}

	/**
	 * Envelopes published by other instances for this one. The runtime subscribes once.
	 * @return the envelopes
	 */
	Flux<Envelope> receive();

	/**
	 * A message of a stream with history, published.
	 *
	 * @param position its position in the stream
	 * @param instances how many instances it was published to
	 * @since 0.2.0
	 */
	record Published(StreamHistory.Position position, int instances) {

	}

}
