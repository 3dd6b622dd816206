package dev.switchboard.runtime;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.ClientErrorException;
import dev.switchboard.CloseReason;
import dev.switchboard.ConnectionInfo;
import dev.switchboard.DeliveryException;
import dev.switchboard.Recipients;
import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;
import dev.switchboard.handler.support.OutboundMessage;
import dev.switchboard.registry.Destination;
import dev.switchboard.registry.Envelope;
import dev.switchboard.registry.InMemoryMessageBus;
import dev.switchboard.registry.StreamHistory.Position;
import dev.switchboard.runtime.SwitchboardMetrics.SendKind;

/**
 * Sends to local recipients directly and publishes once to the other instances; carries
 * out what other instances publish for this one.
 */
final class DefaultSwitchboard implements Switchboard {

	private static final Log logger = LogFactory.getLog(DefaultSwitchboard.class);

	private static final ThrottledLog failures = new ThrottledLog(logger);

	private final ServerContext context;

	private final boolean stampsPublication;

	DefaultSwitchboard(ServerContext context) {
		this.context = context;
		// Nothing receives what the in-memory bus is given.
		this.stampsPublication = context.metrics() != SwitchboardMetrics.NONE
				&& !(context.bus() instanceof InMemoryMessageBus);
	}

	@Override
	public Recipients toConnection(String connectionId) {
		return new DestinationRecipients(Destination.connection(connectionId));
	}

	@Override
	public Recipients toUser(String user) {
		return new DestinationRecipients(Destination.of(Destination.Type.USER, List.of(user)));
	}

	@Override
	public Recipients toUsers(Collection<String> users) {
		return new DestinationRecipients(Destination.of(Destination.Type.USER, List.copyOf(users)));
	}

	@Override
	public Recipients toRoom(String room) {
		return new DestinationRecipients(Destination.of(Destination.Type.ROOM, List.of(room)));
	}

	@Override
	public Recipients toSocket(String socket) {
		return new DestinationRecipients(Destination.of(Destination.Type.SOCKET, List.of(socket)));
	}

	@Override
	public Mono<SendResult> join(String connectionId, String room) {
		return changeMembership(true, connectionId, room);
	}

	@Override
	public Mono<SendResult> leave(String connectionId, String room) {
		return changeMembership(false, connectionId, room);
	}

	private Mono<SendResult> changeMembership(boolean join, String connectionId, String room) {
		return Mono.defer(() -> {
			NettySocketConnection connection = this.context.local().get(connectionId);
			if (connection != null) {
				Mono<Void> change = join ? this.context.join(connection, room) : this.context.leave(connection, room);
				return change.thenReturn(new SendResult(1, 0));
			}
			if (this.context.isLocal(connectionId)) {
				return Mono.just(SendResult.NOT_CONNECTED);
			}
			return publish(Envelope.membership(join, connectionId, room), SendResult.NOT_CONNECTED, null);
		});
	}

	@Override
	public Flux<ConnectionInfo> connectionsOf(String user) {
		return this.context.registry().connectionsOf(user);
	}

	@Override
	public Flux<ConnectionInfo> membersOf(String room) {
		return this.context.registry().membersOf(room);
	}

	@Override
	public Mono<Boolean> isOnline(String user) {
		return this.context.registry().isOnline(user);
	}

	@Override
	public Flux<String> onlineUsers() {
		return this.context.registry().onlineUsers();
	}

	Mono<SendResult> send(Destination destination, Object payload) {
		Observations observations = this.context.observations();
		return counted(SendKind.MESSAGE,
				(observations != null)
						? observed(observations, destination, "send",
								(headers) -> sendNow(destination, payload, headers))
						: Mono.defer(() -> sendNow(destination, payload, null)));
	}

	private Mono<SendResult> sendNow(Destination destination, Object payload, @Nullable Map<String, String> headers) {
		if (destination.names().isEmpty()) {
			return Mono.just(SendResult.NOT_CONNECTED);
		}
		OutboundMessage message = this.context.codec().encode(payload);
		HistoryPolicy.Stream stream = message.isText() ? this.context.historyPolicy().streamOf(destination) : null;
		if (stream != null) {
			return sendToStream(destination, stream, message, headers);
		}
		SendResult local = this.context.local().deliver(destination, message);
		if (isLocalOnly(destination)) {
			return Mono.just(local);
		}
		return publish(Envelope.message(destination, message.isText(), message.bytes()), local, headers);
	}

	// The message is in the stream's history before it is delivered anywhere, so that no
	// connection sees a message that a reconnecting one could not recover; nothing is
	// delivered here if it could not be kept and published.
	private Mono<SendResult> sendToStream(Destination destination, HistoryPolicy.Stream stream, OutboundMessage message,
			@Nullable Map<String, String> headers) {
		Envelope envelope = Envelope.message(destination, true, message.bytes());
		Map<String, String> timed = withPublicationTime(headers);
		Envelope published = timed.isEmpty() ? envelope : envelope.withHeaders(timed);
		return this.context.sends()
			.track(this.context.bus()
				.publish(published, stream.name(), stream.limits(), this.context.historyPolicy().history()))
			.onErrorMap((ex) -> {
				this.context.metrics().deliveryFailed(ex);
				return new DeliveryException("could not send to " + stream.name() + ": " + ex.getMessage(),
						new SendResult(0, 0), ex);
			})
			.map((sent) -> this.context.local()
				.deliver(destination, new StampedMessage(stream.name(), sent.position(), message.bytes()))
				.plus(new SendResult(0, sent.instances())));
	}

	Mono<SendResult> close(Destination destination, CloseReason reason) {
		Observations observations = this.context.observations();
		return counted(SendKind.CLOSE,
				(observations != null)
						? observed(observations, destination, "close",
								(headers) -> closeNow(destination, reason, headers))
						: Mono.defer(() -> closeNow(destination, reason, null)));
	}

	private Mono<SendResult> closeNow(Destination destination, CloseReason reason,
			@Nullable Map<String, String> headers) {
		CloseStatus status = CloseState.requireSendable(CloseState.toStatus(reason));
		SendResult local = new SendResult(this.context.local().close(destination, status), 0);
		if (isLocalOnly(destination)) {
			return Mono.just(local);
		}
		return publish(Envelope.close(destination, reason), local, headers);
	}

	// Observed from its subscription to its result; the tracer writes the observation's
	// context into the headers of the envelope the send may publish.
	private Mono<SendResult> observed(Observations observations, Destination destination, String operation,
			Function<Map<String, String>, Mono<SendResult>> send) {
		return Mono.deferContextual((reactorContext) -> {
			Map<String, String> headers = new HashMap<>(4);
			Observation observation = observations.send(destination, operation, headers, reactorContext);
			Mono<SendResult> result;
			try (Observation.Scope scope = observation.openScope()) {
				result = send.apply(headers);
			}
			catch (RuntimeException ex) {
				result = Mono.error(ex);
			}
			return Observations.observeSend(result, observation);
		});
	}

	private Mono<SendResult> counted(SendKind kind, Mono<SendResult> send) {
		SwitchboardMetrics metrics = this.context.metrics();
		if (metrics == SwitchboardMetrics.NONE) {
			return send;
		}
		return send.doOnNext((result) -> metrics.sent(kind, result)).doOnError((ex) -> metrics.sendFailed(kind));
	}

	private boolean isLocalOnly(Destination destination) {
		return destination.type() == Destination.Type.CONNECTION
				&& destination.names().stream().allMatch(this.context::isLocal);
	}

	// The headers: the trace context of an observed send, and the time of publication
	// when the instances record the latency of deliveries. Tracked until it ends, so that
	// a shutdown gives the lease back only once it has.
	private Mono<SendResult> publish(Envelope envelope, SendResult local, @Nullable Map<String, String> headers) {
		Map<String, String> timed = withPublicationTime(headers);
		Envelope published = timed.isEmpty() ? envelope : envelope.withHeaders(timed);
		return this.context.sends()
			.track(this.context.bus().publish(published))
			.map((instances) -> local.plus(new SendResult(0, instances)))
			.onErrorMap((ex) -> !(ex instanceof DeliveryException), (ex) -> {
				this.context.metrics().deliveryFailed(ex);
				return new DeliveryException("could not publish to the other instances: " + ex.getMessage(), local, ex);
			});
	}

	// The headers of an envelope, with the time of publication when the instances record
	// the latency of deliveries.
	private Map<String, String> withPublicationTime(@Nullable Map<String, String> headers) {
		if (!this.stampsPublication) {
			return (headers != null) ? headers : Map.of();
		}
		Map<String, String> timed = (headers != null) ? headers : new HashMap<>(2);
		timed.put(Envelope.PUBLISHED_AT, Long.toString(nowMicros()));
		return timed;
	}

	/**
	 * Carries out an envelope another instance published for this one.
	 * @param envelope the envelope
	 */
	void receive(Envelope envelope) {
		String publishedAt = envelope.headers().get(Envelope.PUBLISHED_AT);
		if (publishedAt != null) {
			recordLatency(envelope.kind(), publishedAt);
		}
		Observations observations = this.context.observations();
		if (observations == null) {
			deliver(envelope);
			return;
		}
		Observation observation = observations.delivery(envelope);
		Throwable error = null;
		try (Observation.Scope scope = observation.openScope()) {
			deliver(envelope);
		}
		catch (RuntimeException ex) {
			error = ex;
			throw ex;
		}
		finally {
			Observations.stop(observation, error);
		}
	}

	private void recordLatency(Envelope.Kind kind, String publishedAt) {
		try {
			this.context.metrics().deliveryLatency(kind, Math.max(0, nowMicros() - Long.parseLong(publishedAt)));
		}
		catch (NumberFormatException ex) {
			// Not ours to judge: an instance of a later version may write it otherwise.
		}
	}

	// Microseconds since the epoch: the other instance's clock is compared with this one.
	private static long nowMicros() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
	}

	private void deliver(Envelope envelope) {
		switch (envelope.kind()) {
			case TEXT, BINARY -> deliverMessage(envelope);
			case CLOSE ->
				this.context.local().close(envelope.destination(), CloseState.toStatus(envelope.toCloseReason()));
			case JOIN, LEAVE -> changeLocalMembership(envelope);
		}
	}

	private void deliverMessage(Envelope envelope) {
		StampedMessage stamped = stamped(envelope);
		if (stamped != null) {
			this.context.local().deliver(envelope.destination(), stamped);
			return;
		}
		this.context.local()
			.deliver(envelope.destination(), (envelope.kind() == Envelope.Kind.TEXT)
					? OutboundMessage.text(envelope.data()) : OutboundMessage.binary(envelope.data()));
	}

	// A message with its position in its stream's history, when this instance keeps the
	// stream's history too.
	private @Nullable StampedMessage stamped(Envelope envelope) {
		String epoch = envelope.headers().get(Envelope.STREAM_EPOCH);
		String offset = envelope.headers().get(Envelope.STREAM_OFFSET);
		HistoryPolicy.Stream stream = (epoch != null && offset != null && envelope.kind() == Envelope.Kind.TEXT)
				? this.context.historyPolicy().streamOf(envelope.destination()) : null;
		if (stream == null) {
			return null;
		}
		try {
			return new StampedMessage(stream.name(), new Position(epoch, Long.parseLong(offset)), envelope.data());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private void changeLocalMembership(Envelope envelope) {
		NettySocketConnection connection = this.context.local().get(envelope.destination().names().get(0));
		if (connection == null) {
			return;
		}
		Mono<Void> change = (envelope.kind() == Envelope.Kind.JOIN) ? this.context.join(connection, envelope.toRoom())
				: this.context.leave(connection, envelope.toRoom());
		change.subscribe(null, (ex) -> {
			// An interceptor's refusal is the application's decision, not a failure.
			if (ex instanceof ClientErrorException) {
				if (logger.isDebugEnabled()) {
					logger.debug("An interceptor refused the join of connection " + connection.id() + " to '"
							+ envelope.toRoom() + "', asked for by another instance: " + ex.getMessage());
				}
				return;
			}
			failures.warn("membership", () -> "Room change of connection " + connection.id() + " to '"
					+ envelope.toRoom() + "', asked for by another instance, failed", ex);
		});
	}

	/**
	 * Recipients of a send, resolved when it is subscribed to.
	 */
	private final class DestinationRecipients implements Recipients {

		private final Destination destination;

		DestinationRecipients(Destination destination) {
			this.destination = destination;
		}

		@Override
		public Mono<SendResult> send(Object payload) {
			return DefaultSwitchboard.this.send(this.destination, payload);
		}

		@Override
		public Mono<SendResult> close(CloseReason reason) {
			return DefaultSwitchboard.this.close(this.destination, reason);
		}

		@Override
		public Recipients except(String connectionId) {
			return new DestinationRecipients(this.destination.except(connectionId));
		}

	}

}
