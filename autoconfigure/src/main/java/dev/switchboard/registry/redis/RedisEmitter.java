package dev.switchboard.registry.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.CloseCodes;
import dev.switchboard.CloseReason;
import dev.switchboard.ConnectionInfo;
import dev.switchboard.DeliveryException;
import dev.switchboard.Recipients;
import dev.switchboard.RegistryUnavailableException;
import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;
import dev.switchboard.registry.Destination;
import dev.switchboard.registry.Envelope;

/**
 * A send-only {@link Switchboard} for a process that serves no sockets: a batch job, a
 * queue consumer, a Servlet application. It reads the registry in Redis and publishes on
 * the instances' channels, with the same keys, scripts and envelopes as the instances
 * that serve the sockets, and the payload encoded as they encode it.
 * <p>
 * It holds no lease and is no instance: it has no connections, so every
 * {@link SendResult} it gives has {@code reached} and {@code dropped} at 0, and
 * {@code instances} says how many instances the message was published to. Each operation
 * tries Redis, within the command timeout, and fails with a
 * {@link RegistryUnavailableException} (for a send, as the cause of a
 * {@link DeliveryException}) when Redis does not answer. Like an instance, it checks the
 * data set's epoch in each lookup: once it has seen that Redis lost its data, its sends
 * and queries fail for as long as the instances take to register their connections again,
 * rather than answer "not connected" for connections that are open.
 *
 * @since 0.1.0
 */
public final class RedisEmitter implements Switchboard {

	// The origin written in the envelopes: no instance has an empty id, so every
	// instance takes what this process publishes as another's.
	private static final String ORIGIN = "";

	private final RegistryRedis redis;

	private final MessageEncoder encoder;

	private final Duration timeout;

	private final Duration resyncTime;

	// The epoch of the data set as last seen, learnt at the first lookup.
	private volatile @Nullable String epoch;

	// While the instances register again after a data loss: until when, by nanoTime; 0
	// when there is no such wait. Written by a data loss only, so that a lookup that
	// finds the wait over cannot end a wait that another loss has just begun.
	private volatile long resyncUntil;

	/**
	 * Creates an emitter.
	 * @param connectionFactory the application's reactive Redis connection factory, the
	 * Redis the instances use
	 * @param settings the instances' Redis settings: the key prefix, the command timeout,
	 * and the instance timeout and reconnect interval, which say how long the instances
	 * take to register again after Redis lost its data
	 * @param encoder encodes payloads as the instances do
	 */
	public RedisEmitter(ReactiveRedisConnectionFactory connectionFactory, RedisRegistryFactory.Settings settings,
			MessageEncoder encoder) {
		this.redis = RedisRegistryFactory.registryRedis(connectionFactory, settings,
				new RedisConnectionState(settings.commandTimeout(), settings.commandTimeout()), ORIGIN);
		this.encoder = encoder;
		this.timeout = settings.commandTimeout();
		this.resyncTime = RedisRegistryFactory.resyncTime(settings);
	}

	@Override
	public Recipients toConnection(String connectionId) {
		return new EmitterRecipients(Destination.connection(connectionId));
	}

	@Override
	public Recipients toUser(String user) {
		return new EmitterRecipients(Destination.of(Destination.Type.USER, List.of(user)));
	}

	@Override
	public Recipients toUsers(Collection<String> users) {
		return new EmitterRecipients(Destination.of(Destination.Type.USER, List.copyOf(users)));
	}

	@Override
	public Recipients toRoom(String room) {
		return new EmitterRecipients(Destination.of(Destination.Type.ROOM, List.of(room)));
	}

	@Override
	public Recipients toSocket(String socket) {
		return new EmitterRecipients(Destination.of(Destination.Type.SOCKET, List.of(socket)));
	}

	/**
	 * Asks the connection's instance to add it to a room.
	 * @param connectionId the connection's id
	 * @param room the room's name
	 * @return {@code (0, 1)} once the request is published to the connection's instance,
	 * {@link SendResult#NOT_CONNECTED} when the registry does not know the connection
	 */
	@Override
	public Mono<SendResult> join(String connectionId, String room) {
		return publish(Envelope.membership(true, connectionId, room));
	}

	/**
	 * Asks the connection's instance to remove it from a room.
	 * @param connectionId the connection's id
	 * @param room the room's name
	 * @return what is known of the leave, as for {@link #join(String, String)}
	 */
	@Override
	public Mono<SendResult> leave(String connectionId, String room) {
		return publish(Envelope.membership(false, connectionId, room));
	}

	@Override
	public Flux<ConnectionInfo> connectionsOf(String user) {
		return query("connections", user, "list connections")
			.flatMapIterable((answer) -> RedisConnectionRegistry.connections(user, answer));
	}

	@Override
	public Flux<ConnectionInfo> membersOf(String room) {
		return query("members", room, "list room members").flatMapIterable(RedisConnectionRegistry::members);
	}

	@Override
	public Mono<Boolean> isOnline(String user) {
		return query("online", user, "check presence").map((answer) -> ((Long) answer) == 1);
	}

	@Override
	public Flux<String> onlineUsers() {
		return query("users", "", "list online users").flatMapIterable(RedisConnectionRegistry::users);
	}

	private Mono<SendResult> send(Destination destination, Object payload) {
		return Mono.defer(() -> {
			if (destination.names().isEmpty()) {
				return Mono.just(SendResult.NOT_CONNECTED);
			}
			return publish(this.encoder.encode(destination, payload));
		});
	}

	private Mono<SendResult> close(Destination destination, CloseReason reason) {
		return Mono.defer(() -> {
			CloseCodes.requireSendable(reason.code());
			if (destination.names().isEmpty()) {
				return Mono.just(SendResult.NOT_CONNECTED);
			}
			return publish(Envelope.close(destination, reason));
		});
	}

	// Stamped with the time of publication, as an instance with metrics stamps what it
	// publishes: the receiving instances record the latency of its delivery.
	private Mono<SendResult> publish(Envelope envelope) {
		return Mono.defer(() -> {
			byte[] bytes = EnvelopeCodec
				.encode(envelope.withHeaders(Map.of(Envelope.PUBLISHED_AT, Long.toString(nowMicros()))), ORIGIN);
			Destination destination = envelope.destination();
			String what = "publish to the instances";
			// Nothing here is subscribed to the shared channel: every receiver counts.
			Mono<Long> published = switch (destination.type()) {
				case SOCKET -> this.redis.pubSub.publish(this.redis.keys.busChannel(), bytes);
				case USER -> inDataSet((epoch) -> lookUpAndPublish("u", bytes, epoch, destination.names()), what);
				case ROOM ->
					inDataSet((epoch) -> lookUpAndPublish("r", bytes, epoch, destination.names().subList(0, 1)), what);
				case CONNECTION ->
					inDataSet((epoch) -> lookUpAndPublish("c", bytes, epoch, destination.names().subList(0, 1)), what);
			};
			return guarded(published, what).map((instances) -> new SendResult(0, instances.intValue()));
		})
			.onErrorMap((ex) -> !(ex instanceof DeliveryException),
					(ex) -> new DeliveryException("could not publish to the instances: " + ex.getMessage(),
							SendResult.NOT_CONNECTED, ex));
	}

	private Mono<Long> lookUpAndPublish(String kind, byte[] envelope, String epoch, List<String> names) {
		return this.redis.commands.send(ORIGIN, kind, envelope, epoch, names)
			.flatMap((instances) -> (instances == -2) ? Mono.error(new UnsubscribedInstanceException())
					: (instances < 0) ? dataLost("publish to the instances") : Mono.just(instances));
	}

	private Mono<Object> query(String query, String name, String what) {
		return guarded(inDataSet((epoch) -> queryIn(epoch, query, name, what), what), what);
	}

	// The query script answers { 0 } when the data set is not the one this process knows.
	@SuppressWarnings("rawtypes")
	private Mono<Object> queryIn(String epoch, String query, String name, String what) {
		return this.redis.commands.query(epoch, query, name)
			.flatMap((List result) -> (((Long) result.get(0)) == 0) ? dataLost(what) : Mono.just(result.get(1)));
	}

	// Runs a lookup in the data set this process knows, learning its epoch first; fails
	// at once while the instances register again after a data loss.
	private <T> Mono<T> inDataSet(Function<String, Mono<T>> lookup, String what) {
		return Mono.defer(() -> {
			long until = this.resyncUntil;
			if (until != 0 && System.nanoTime() - until < 0) {
				return Mono.error(new RegistryResyncingException(what));
			}
			String known = this.epoch;
			if (known != null) {
				return lookup.apply(known);
			}
			// Not learnt yet. None in Redis: no instance has run on it, or it was emptied
			// and no instance has noticed yet (which goes unseen); the lookup runs
			// without the check.
			return this.redis.commands.epoch()
				.doOnNext((epoch) -> this.epoch = epoch)
				.defaultIfEmpty("")
				.flatMap(lookup);
		});
	}

	// The data set changed since this process last looked: Redis lost its data, and the
	// registry does not know connections that are open until the instances have
	// registered them again.
	private <T> Mono<T> dataLost(String what) {
		this.epoch = null;
		this.resyncUntil = Math.max(1, System.nanoTime() + this.resyncTime.toNanos());
		return Mono.error(new RegistryResyncingException(what));
	}

	// Each operation on its own, within the command timeout: there is no lease to
	// recover, so no state to keep between operations.
	private <T> Mono<T> guarded(Mono<T> operation, String what) {
		return operation.timeout(this.timeout)
			.onErrorMap(RedisConnectionState::isUnavailability,
					(ex) -> new RegistryUnavailableException(
							"Redis is unreachable: cannot " + what + " (" + RedisConnectionState.describe(ex) + ")",
							ex));
	}

	private static long nowMicros() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
	}

	/**
	 * Encodes a payload into a message envelope, as the instances that serve the sockets
	 * encode what they send.
	 */
	@FunctionalInterface
	public interface MessageEncoder {

		/**
		 * Encodes a payload once for every recipient.
		 * @param destination the recipients
		 * @param payload the payload: a {@code String} as text, a {@code byte[]} or
		 * {@code ByteBuffer} as binary, anything else as JSON
		 * @return the message envelope
		 */
		Envelope encode(Destination destination, Object payload);

	}

	/**
	 * Recipients of a send, resolved when it is subscribed to.
	 */
	private final class EmitterRecipients implements Recipients {

		private final Destination destination;

		EmitterRecipients(Destination destination) {
			this.destination = destination;
		}

		@Override
		public Mono<SendResult> send(Object payload) {
			return RedisEmitter.this.send(this.destination, payload);
		}

		@Override
		public Mono<SendResult> close(CloseReason reason) {
			return RedisEmitter.this.close(this.destination, reason);
		}

		@Override
		public Recipients except(String connectionId) {
			return new EmitterRecipients(this.destination.except(connectionId));
		}

	}

}
