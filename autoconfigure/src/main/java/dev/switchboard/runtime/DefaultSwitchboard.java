package dev.switchboard.runtime;

import java.util.Collection;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ConnectionInfo;
import dev.switchboard.DeliveryException;
import dev.switchboard.Recipients;
import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;
import dev.switchboard.handler.support.OutboundMessage;
import dev.switchboard.registry.Destination;
import dev.switchboard.registry.Envelope;

/**
 * Sends to local recipients directly and publishes once to the other instances; carries
 * out what other instances publish for this one.
 */
final class DefaultSwitchboard implements Switchboard {

	private static final Log logger = LogFactory.getLog(DefaultSwitchboard.class);

	private static final ThrottledLog failures = new ThrottledLog(logger);

	private final ServerContext context;

	DefaultSwitchboard(ServerContext context) {
		this.context = context;
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
			return publish(Envelope.membership(join, connectionId, room), SendResult.NOT_CONNECTED);
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
		return Mono.defer(() -> {
			if (destination.names().isEmpty()) {
				return Mono.just(SendResult.NOT_CONNECTED);
			}
			OutboundMessage message = this.context.codec().encode(payload);
			SendResult local = this.context.local().deliver(destination, message);
			if (isLocalOnly(destination)) {
				return Mono.just(local);
			}
			return publish(Envelope.message(destination, message.isText(), message.bytes()), local);
		});
	}

	Mono<SendResult> close(Destination destination, CloseStatus status) {
		return Mono.defer(() -> {
			CloseState.requireSendable(status);
			SendResult local = new SendResult(this.context.local().close(destination, status), 0);
			if (isLocalOnly(destination)) {
				return Mono.just(local);
			}
			return publish(Envelope.close(destination, status), local);
		});
	}

	private boolean isLocalOnly(Destination destination) {
		return destination.type() == Destination.Type.CONNECTION
				&& destination.names().stream().allMatch(this.context::isLocal);
	}

	// Tracked until it ends, so that a shutdown gives the lease back only once it has.
	private Mono<SendResult> publish(Envelope envelope, SendResult local) {
		return this.context.sends()
			.track(this.context.bus().publish(envelope))
			.map((instances) -> local.plus(new SendResult(0, instances)))
			.onErrorMap((ex) -> !(ex instanceof DeliveryException), (ex) -> {
				this.context.metrics().deliveryFailed(ex);
				return new DeliveryException("could not publish to the other instances: " + ex.getMessage(), local, ex);
			});
	}

	/**
	 * Carries out an envelope another instance published for this one.
	 * @param envelope the envelope
	 */
	void receive(Envelope envelope) {
		switch (envelope.kind()) {
			case TEXT,
					BINARY ->
				this.context.local()
					.deliver(envelope.destination(), (envelope.kind() == Envelope.Kind.TEXT)
							? OutboundMessage.text(envelope.data()) : OutboundMessage.binary(envelope.data()));
			case CLOSE -> this.context.local().close(envelope.destination(), envelope.toCloseStatus());
			case JOIN, LEAVE -> changeLocalMembership(envelope);
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
		public Mono<SendResult> close(CloseStatus status) {
			return DefaultSwitchboard.this.close(this.destination, status);
		}

		@Override
		public Recipients except(String connectionId) {
			return new DestinationRecipients(this.destination.except(connectionId));
		}

	}

}
