package dev.switchboard.registry.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReactiveSubscription.Message;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.switchboard.registry.Destination;
import dev.switchboard.registry.Envelope;
import dev.switchboard.registry.MessageBus;

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

	private final ReactiveRedisConnectionFactory connectionFactory;

	private final Sinks.Many<Envelope> received = Sinks.many().multicast().directBestEffort();

	private final Map<String, Sinks.Empty<Void>> probes = new ConcurrentHashMap<>();

	private volatile @Nullable ReactiveRedisMessageListenerContainer container;

	private volatile @Nullable Disposable subscription;

	RedisMessageBus(RegistryRedis redis, ReactiveRedisConnectionFactory connectionFactory) {
		this.redis = redis;
		this.connectionFactory = connectionFactory;
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
				case SOCKET -> this.redis.state
					.write(this.redis.template.convertAndSend(this.redis.keys.busChannel(), bytes), what)
					.map((receivers) -> Math.max(0, receivers - 1));
				case USER -> this.redis.state.read(send("u", bytes, destination.names()), what);
				case ROOM -> this.redis.state.read(send("r", bytes, destination.names().subList(0, 1)), what);
				case CONNECTION -> this.redis.state.read(send("c", bytes, destination.names().subList(0, 1)), what);
			};
			return published.map(Long::intValue);
		});
	}

	private Mono<Long> send(String kind, byte[] envelope, List<String> names) {
		Object[] args = new Object[6 + names.size()];
		args[0] = this.redis.keys.prefix();
		args[1] = this.redis.keys.channelPrefix();
		args[2] = this.redis.instanceId;
		args[3] = kind;
		args[4] = envelope;
		args[5] = this.redis.epoch();
		for (int i = 0; i < names.size(); i++) {
			args[6 + i] = names.get(i);
		}
		return this.redis.run(this.redis.scripts.send, args).flatMap((instances) -> {
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
		return Mono.defer(() -> {
			close();
			ReactiveRedisMessageListenerContainer container = new ReactiveRedisMessageListenerContainer(
					this.connectionFactory);
			this.container = container;
			List<ChannelTopic> topics = List.of(ChannelTopic.of(this.redis.keys.busChannel()),
					ChannelTopic.of(this.redis.keys.instanceChannel(this.redis.instanceId)));
			return this.redis.state
				.attempt(container.receiveLater(topics, SerializationPair.fromSerializer(RedisSerializer.string()),
						SerializationPair.fromSerializer(RedisSerializer.byteArray())), "subscribe")
				.doOnNext((messages) -> this.subscription = messages.subscribe(this::onMessage, (ex) -> {
					logger.warn("The Redis subscription failed: " + RedisConnectionState.describe(ex));
					this.redis.state.down(ex);
				}))
				.then();
		});
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
			.attempt(this.redis.template.convertAndSend(this.redis.keys.instanceChannel(this.redis.instanceId),
					EnvelopeCodec.probe(nonce, this.redis.instanceId)), "publish a probe")
			// Published, so Redis answers: a probe that does not come back means a lost
			// subscription, not an unreachable Redis.
			.then(arrived.asMono()
				.timeout(timeout,
						Mono.error(() -> new IllegalStateException(
								"a probe published to this instance did not come back within " + timeout))))
			.doFinally((signal) -> this.probes.remove(nonce));
	}

	private void onMessage(Message<String, byte[]> message) {
		EnvelopeCodec.Decoded decoded;
		try {
			decoded = EnvelopeCodec.decode(message.getMessage());
		}
		catch (RuntimeException ex) {
			logger.warn("Ignored a malformed message on " + message.getChannel() + ": " + ex.getMessage());
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
		Disposable subscription = this.subscription;
		if (subscription != null) {
			subscription.dispose();
		}
		ReactiveRedisMessageListenerContainer container = this.container;
		if (container != null) {
			container.destroyLater().subscribe(null, (ex) -> logger.debug("Could not close a subscription", ex));
		}
		this.subscription = null;
		this.container = null;
	}

}
