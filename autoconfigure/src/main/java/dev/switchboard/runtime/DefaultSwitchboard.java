package dev.switchboard.runtime;

import java.util.Collection;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.ConnectionInfo;
import dev.switchboard.DeliveryException;
import dev.switchboard.Recipients;
import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;
import dev.switchboard.handler.support.OutboundMessage;
import dev.switchboard.registry.Envelope;
import dev.switchboard.registry.Target;

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
		return new TargetRecipients(Target.connection(connectionId));
	}

	@Override
	public Recipients toUser(String user) {
		return new TargetRecipients(Target.of(Target.Type.USER, List.of(user)));
	}

	@Override
	public Recipients toUsers(Collection<String> users) {
		return new TargetRecipients(Target.of(Target.Type.USER, List.copyOf(users)));
	}

	@Override
	public Recipients toRoom(String room) {
		return new TargetRecipients(Target.of(Target.Type.ROOM, List.of(room)));
	}

	@Override
	public Recipients toSocket(String socket) {
		return new TargetRecipients(Target.of(Target.Type.SOCKET, List.of(socket)));
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

	Mono<SendResult> send(Target target, Object payload) {
		return Mono.defer(() -> {
			if (target.names().isEmpty()) {
				return Mono.just(SendResult.NOT_CONNECTED);
			}
			OutboundMessage message = this.context.codec().encode(payload);
			SendResult local = this.context.local().deliver(target, message);
			if (isLocalOnly(target)) {
				return Mono.just(local);
			}
			return publish(Envelope.message(target, message.isText(), message.bytes()), local);
		});
	}

	Mono<SendResult> close(Target target, CloseStatus status) {
		return Mono.defer(() -> {
			SendResult local = new SendResult(this.context.local().close(target, status), 0);
			if (isLocalOnly(target)) {
				return Mono.just(local);
			}
			return publish(Envelope.close(target, status), local);
		});
	}

	private boolean isLocalOnly(Target target) {
		return target.type() == Target.Type.CONNECTION && target.names().stream().allMatch(this.context::isLocal);
	}

	private Mono<SendResult> publish(Envelope envelope, SendResult local) {
		return this.context.bus()
			.publish(envelope)
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
					.deliver(envelope.target(), (envelope.kind() == Envelope.Kind.TEXT)
							? OutboundMessage.text(envelope.data()) : OutboundMessage.binary(envelope.data()));
			case CLOSE -> this.context.local().close(envelope.target(), envelope.toCloseStatus());
			case JOIN, LEAVE -> changeLocalMembership(envelope);
		}
	}

	private void changeLocalMembership(Envelope envelope) {
		NettySocketConnection connection = this.context.local().get(envelope.target().names().get(0));
		if (connection == null) {
			return;
		}
		Mono<Void> change = (envelope.kind() == Envelope.Kind.JOIN) ? this.context.join(connection, envelope.toRoom())
				: this.context.leave(connection, envelope.toRoom());
		change.subscribe(null, (ex) -> failures.warn("membership", () -> "Room change of connection " + connection.id()
				+ " to '" + envelope.toRoom() + "', asked for by another instance, failed", ex));
	}

	/**
	 * Recipients of a send, resolved when it is subscribed to.
	 */
	private final class TargetRecipients implements Recipients {

		private final Target target;

		TargetRecipients(Target target) {
			this.target = target;
		}

		@Override
		public Mono<SendResult> send(Object payload) {
			return DefaultSwitchboard.this.send(this.target, payload);
		}

		@Override
		public Mono<SendResult> close(CloseStatus status) {
			return DefaultSwitchboard.this.close(this.target, status);
		}

		@Override
		public Recipients except(String connectionId) {
			return new TargetRecipients(this.target.except(connectionId));
		}

	}

}
