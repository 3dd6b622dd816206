package dev.switchboard.registry.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReactiveSubscription;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Classic publish and subscribe through Spring Data Redis, on a connection of its own.
 * <p>
 * Every message Redis counts as received is delivered. A subscription listens before it
 * subscribes: Spring's {@code ReactiveRedisMessageListenerContainer#receiveLater} is
 * ready once Redis confirmed, but listens only once its caller subscribes to the
 * messages, and what arrives in between is dropped. A subscription that is replaced
 * (after the Sentinels moved the master, or an outage) first unsubscribes, delivering
 * what arrives until Redis confirms, and only then closes its connection and lets the
 * next one subscribe: no message arrives twice or out of order, and one published
 * meanwhile finds no subscriber, which its sender learns.
 */
final class ClassicPubSub implements RegistryPubSub {

	private static final Log logger = LogFactory.getLog(ClassicPubSub.class);

	/**
	 * How long a replaced subscription waits for Redis to confirm that it ended: a server
	 * that went away never does.
	 */
	private static final Duration UNSUBSCRIBING = Duration.ofMillis(500);

	private final ReactiveRedisConnectionFactory connectionFactory;

	private final ReactiveRedisTemplate<byte[], byte[]> template;

	private volatile @Nullable Subscription subscription;

	// Guarded by this: closed for good, at shutdown.
	private boolean closed;

	ClassicPubSub(ReactiveRedisConnectionFactory connectionFactory, ReactiveRedisTemplate<byte[], byte[]> template) {
		this.connectionFactory = connectionFactory;
		this.template = template;
	}

	@Override
	public Mono<Long> publish(String channel, byte[] message) {
		return this.template.convertAndSend(channel, message);
	}

	@Override
	public Mono<Void> subscribe(List<String> channels, BiConsumer<String, byte[]> onMessage,
			Consumer<Throwable> onFailure) {
		return Mono.defer(() -> {
			Subscription previous = replace(null);
			// Not on the Redis client's event loop, where Redis confirms: what follows
			// may open the connection that Spring Data Redis shares, which blocks until
			// it is open.
			return (previous != null) ? previous.end().publishOn(Schedulers.boundedElastic()) : Mono.<Void>empty();
		}).then(Mono.defer(() -> {
			Subscription subscription = new Subscription(this.connectionFactory.getReactiveConnection(), channels);
			Subscription previous;
			synchronized (this) {
				if (this.closed) {
					// Closed while the previous one ended: nothing is to be opened.
					subscription.close();
					return Mono.<Void>empty();
				}
				previous = replace(subscription);
			}
			if (previous != null) {
				previous.close();
			}
			return subscription.open(onMessage, onFailure)
				.publishOn(Schedulers.boundedElastic())
				.doOnError((ex) -> subscription.close())
				.doOnCancel(() -> {
					replace(subscription, null);
					subscription.close();
				});
		}));
	}

	private synchronized @Nullable Subscription replace(@Nullable Subscription next) {
		Subscription previous = this.subscription;
		this.subscription = next;
		return previous;
	}

	private synchronized void replace(Subscription expected, @Nullable Subscription next) {
		if (this.subscription == expected) {
			this.subscription = next;
		}
	}

	@Override
	public void close() {
		Subscription subscription;
		synchronized (this) {
			this.closed = true;
			subscription = replace(null);
		}
		if (subscription != null) {
			subscription.close();
		}
	}

	private static String string(ByteBuffer buffer) {
		return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
	}

	private static byte[] bytes(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.duplicate().get(bytes);
		return bytes;
	}

	/**
	 * The channels of one {@link #subscribe} call, on a connection of their own, with
	 * Redis's confirmations of their start and end.
	 */
	private static final class Subscription implements SubscriptionListener {

		private final ReactiveRedisConnection connection;

		private final List<String> channels;

		private final Set<String> toConfirm = ConcurrentHashMap.newKeySet();

		private final Set<String> toEnd = ConcurrentHashMap.newKeySet();

		private final Sinks.Empty<Void> confirmed = Sinks.empty();

		private final Sinks.Empty<Void> ended = Sinks.empty();

		private volatile @Nullable ReactiveSubscription subscription;

		private volatile @Nullable Disposable messages;

		private volatile boolean closed;

		Subscription(ReactiveRedisConnection connection, List<String> channels) {
			this.connection = connection;
			this.channels = List.copyOf(channels);
			this.toConfirm.addAll(channels);
			this.toEnd.addAll(channels);
		}

		// Listens, then subscribes; completes once Redis confirmed every channel.
		Mono<Void> open(BiConsumer<String, byte[]> onMessage, Consumer<Throwable> onFailure) {
			return this.connection.pubSubCommands().createSubscription(this).flatMap((subscription) -> {
				synchronized (this) {
					if (this.closed) {
						// Given up (replaced, or the caller's timeout): nobody waits.
						return Mono.empty();
					}
					this.subscription = subscription;
					this.messages = subscription.receive()
						.subscribe((message) -> onMessage.accept(string(message.getChannel()),
								bytes(message.getMessage())), onFailure);
				}
				ByteBuffer[] channels = this.channels.stream()
					.map((channel) -> ByteBuffer.wrap(channel.getBytes(StandardCharsets.UTF_8)))
					.toArray(ByteBuffer[]::new);
				return subscription.subscribe(channels)
					.then(this.confirmed.asMono())
					.onErrorResume((ex) -> this.closed, (ex) -> Mono.empty());
			});
		}

		// Unsubscribes, delivering what arrives until Redis confirms, then closes.
		Mono<Void> end() {
			ReactiveSubscription subscription = this.subscription;
			if (subscription == null || this.closed) {
				close();
				return Mono.empty();
			}
			return subscription.unsubscribe().then(this.ended.asMono()).timeout(UNSUBSCRIBING).onErrorResume((ex) -> {
				logger.debug("A subscription did not end within " + UNSUBSCRIBING + ": " + ex);
				return Mono.empty();
			}).doFinally((signal) -> close());
		}

		synchronized void close() {
			if (this.closed) {
				return;
			}
			this.closed = true;
			Disposable messages = this.messages;
			if (messages != null) {
				messages.dispose();
			}
			this.connection.closeLater().subscribe(null, (ex) -> logger.debug("Could not close a subscription", ex));
		}

		@Override
		public void onChannelSubscribed(byte[] channel, long count) {
			if (this.toConfirm.remove(new String(channel, StandardCharsets.UTF_8)) && this.toConfirm.isEmpty()) {
				this.confirmed.tryEmitEmpty();
			}
		}

		@Override
		public void onChannelUnsubscribed(byte[] channel, long count) {
			if (this.toEnd.remove(new String(channel, StandardCharsets.UTF_8)) && this.toEnd.isEmpty()) {
				this.ended.tryEmitEmpty();
			}
		}

	}

}
