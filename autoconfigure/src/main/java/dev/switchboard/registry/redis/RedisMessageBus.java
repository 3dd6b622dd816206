package dev.switchboard.registry.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.switchboard.registry.Destination;
import dev.switchboard.registry.Envelope;
import dev.switchboard.registry.MessageBus;
import dev.switchboard.registry.StreamHistory;
import dev.switchboard.registry.StreamHistory.Limits;
import dev.switchboard.registry.StreamHistory.Position;

/**
 * The bus over Redis publish and subscribe. A send is one script run: one lookup of the
 * instances that hold recipients, then one publish, on that instance's own channel when
 * it is alone, on the shared channel otherwise; a broadcast to a socket is one publish on
 * the shared channel. Each instance subscribes to both channels and checks its
 * subscription end to end by publishing probes to itself.
 *
 * @since 0.1.0
 */
public final class RedisMessageBus implements MessageBus {

	private static final Log logger = LogFactory.getLog(RedisMessageBus.class);

	private final RegistryRedis redis;

	private final Sinks.Many<Envelope> received = Sinks.many().multicast().directBestEffort();

	private final Map<String, Sinks.Empty<Void>> probes = new ConcurrentHashMap<>();

	RedisMessageBus(RegistryRedis redis) {
		this.redis = redis;
	}

	@Override
	public Mono<Integer> publish(Envelope envelope) {
		return Mono.defer(() -> {
			byte[] bytes = EnvelopeCodec.encode(envelope, this.redis.instanceId);
			Destination destination = envelope.destination();
			String what = "publish to the other instances";
			// A broadcast to a socket needs no lookup: it goes on while the registry is
			// rebuilt after Redis lost its data.
			Mono<Long> published = switch (destination.type()) {
				case SOCKET ->
					this.redis.state.write(this.redis.pubSub.publish(this.redis.keys.busChannel(), bytes), what)
						.map((receivers) -> Math.max(0, receivers - 1));
				case USER -> this.redis.state.read(send("u", bytes, destination.names()), what);
				case ROOM -> this.redis.state.read(send("r", bytes, destination.names().subList(0, 1)), what);
				case CONNECTION -> this.redis.state.read(send("c", bytes, destination.names().subList(0, 1)), what);
			};
			return published.map(Long::intValue);
		});
	}

	// In the single-slot layout one script run gives the message its position, publishes
	// it and keeps it. In the spread layout one script run on the user's or room's slot
	// looks the recipients up and keeps the message, and the publishes follow; a socket's
	// history shares the slot of the shared channel, and one script run keeps and
	// publishes a broadcast.
	@Override
	public Mono<Published> publish(Envelope envelope, String stream, Limits limits, StreamHistory history) {
		Destination destination = envelope.destination();
		String kind = switch (destination.type()) {
			case USER -> "u";
			case ROOM -> "r";
			case SOCKET -> "s";
			case CONNECTION -> "";
		};
		if (!(history instanceof RedisStreamHistory) || kind.isEmpty() || destination.names().size() != 1) {
			return MessageBus.super.publish(envelope, stream, limits, history);
		}
		if (this.redis.commands instanceof SpreadCommands spread && kind.equals("s")) {
			// A broadcast needs no lookup, and goes on while the registry is rebuilt.
			return Mono.defer(() -> this.redis.state.write(
					spread.broadcastToStream(EnvelopeCodec.encode(envelope, this.redis.instanceId),
							this.redis.pubSub instanceof ShardedPubSub, envelope.data(), stream, limits),
					"publish to the other instances")
				.flatMap(this::published));
		}
		if (this.redis.commands instanceof SpreadCommands spread) {
			return Mono
				.defer(() -> this.redis.state
					.read(spread.sendToStream(this.redis.instanceId, kind, this.redis.epoch(),
							destination.names().get(0), stream, limits, envelope.data(),
							(position) -> EnvelopeCodec.encode(MessageBus.positioned(envelope, position),
									this.redis.instanceId)),
							"publish to the other instances")
					.flatMap(this::published));
		}
		if (!(this.redis.commands instanceof SingleSlotCommands commands)) {
			return MessageBus.super.publish(envelope, stream, limits, history);
		}
		return Mono.defer(() -> {
			byte[] bytes = EnvelopeCodec.encode(envelope, this.redis.instanceId);
			String what = "publish to the other instances";
			// A broadcast needs no lookup, and goes on while the registry is rebuilt.
			boolean broadcast = kind.equals("s");
			Mono<List> sent = commands.sendToStream(this.redis.instanceId, kind, bytes,
					broadcast ? "" : this.redis.epoch(), envelope.data(), stream, limits, destination.names().get(0));
			return (broadcast ? this.redis.state.write(sent, what) : this.redis.state.read(sent, what))
				.flatMap(this::published);
		});
	}

	@SuppressWarnings("rawtypes")
	private Mono<Published> published(List result) {
		long instances = RedisStreamHistory.number(result.get(0));
		if (instances == -2) {
			return Mono.error(new UnsubscribedInstanceException());
		}
		if (instances < 0) {
			this.redis.state.epochMismatch();
			return Mono.error(new RegistryResyncingException("publish to the other instances"));
		}
		Position position = new Position(RegistryRedis.string(result.get(1)), RedisStreamHistory.number(result.get(2)));
		return Mono.just(new Published(position, (int) instances));
	}

	private Mono<Long> send(String kind, byte[] envelope, List<String> names) {
		return this.redis.commands.send(this.redis.instanceId, kind, envelope, this.redis.epoch(), names)
			.flatMap((instances) -> {
				if (instances == -2) {
					return Mono.error(new UnsubscribedInstanceException());
				}
				if (instances < 0) {
					this.redis.state.epochMismatch();
					return Mono.error(new RegistryResyncingException("publish to the other instances"));
				}
				return Mono.just(instances);
			});
	}

	@Override
	public Flux<Envelope> receive() {
		return this.received.asFlux();
	}

	/**
	 * Subscribes to the shared channel and this instance's, replacing any previous
	 * subscription.
	 * @return completes once Redis confirmed the subscription
	 */
	Mono<Void> subscribe() {
		List<String> channels = List.of(this.redis.keys.busChannel(),
				this.redis.keys.instanceChannel(this.redis.instanceId));
		// Three round trips' worth: ending the previous subscription, opening a
		// connection (the first one of the application, at its start), subscribing.
		return this.redis.state.attempt(this.redis.pubSub.subscribe(channels, this::onMessage, (ex) -> {
			logger.warn("The Redis subscription failed: " + RedisConnectionState.describe(ex));
			this.redis.state.down(ex);
		}), "subscribe", this.redis.state.timeout().multipliedBy(3));
	}

	/**
	 * Publishes a probe to this instance and waits for it to come back, which proves that
	 * the subscription works end to end.
	 * @return completes when the probe came back; an error after the command timeout
	 */
	Mono<Void> probe() {
		String nonce = UUID.randomUUID().toString();
		Sinks.Empty<Void> arrived = Sinks.empty();
		this.probes.put(nonce, arrived);
		Duration timeout = this.redis.state.timeout();
		return this.redis.state
			.attempt(this.redis.pubSub.publish(this.redis.keys.instanceChannel(this.redis.instanceId),
					EnvelopeCodec.probe(nonce, this.redis.instanceId)), "publish a probe")
			// Published, so Redis answers: a probe that does not come back means a lost
			// subscription, not an unreachable Redis.
			.then(arrived.asMono()
				.timeout(timeout,
						Mono.error(() -> new IllegalStateException(
								"a probe published to this instance did not come back within " + timeout))))
			.doFinally((signal) -> this.probes.remove(nonce));
	}

	private void onMessage(String channel, byte[] message) {
		EnvelopeCodec.Decoded decoded;
		try {
			decoded = EnvelopeCodec.decode(message);
		}
		catch (RuntimeException ex) {
			logger.warn("Ignored a malformed message on " + channel + ": " + ex.getMessage());
			return;
		}
		if (decoded.probe() != null) {
			Sinks.Empty<Void> probe = this.probes.get(decoded.probe());
			if (probe != null) {
				probe.tryEmitEmpty();
			}
			return;
		}
		if (decoded.envelope() != null && !this.redis.instanceId.equals(decoded.origin())) {
			this.received.emitNext(decoded.envelope(), Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
		}
	}

	/**
	 * Ends the subscription.
	 */
	void close() {
		this.redis.pubSub.close();
	}

}
