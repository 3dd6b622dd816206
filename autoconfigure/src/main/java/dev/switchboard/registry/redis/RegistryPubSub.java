package dev.switchboard.registry.redis;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;

/**
 * Publish and subscribe between the instances: classic ({@code PUBLISH}, every node of a
 * Cluster carries every message) or sharded ({@code SPUBLISH}, only the shard that owns a
 * channel's slot carries it).
 */
interface RegistryPubSub {

	/**
	 * Publishes a message.
	 * @param channel the channel
	 * @param message the message
	 * @return the number of subscribers that received it, as Redis counts them
	 */
	Mono<Long> publish(String channel, byte[] message);

	/**
	 * Subscribes to channels, replacing any previous subscription.
	 * @param channels the channels
	 * @param onMessage receives each message with its channel
	 * @param onFailure told when the subscription is lost after it was confirmed
	 * @return completes once Redis confirmed every channel
	 */
	Mono<Void> subscribe(List<String> channels, BiConsumer<String, byte[]> onMessage, Consumer<Throwable> onFailure);

	/**
	 * Checks, once per heartbeat, that the subscription is where the messages are
	 * published, and subscribes again where not.
	 * @return completes when done
	 */
	default Mono<Void> check() {
		return Mono.empty();
	}

	/**
	 * Ends the subscription.
	 */
	void close();

}
