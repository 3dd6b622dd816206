package dev.switchboard.runtime;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.InboundMessage;
import dev.switchboard.SocketConnection;
import dev.switchboard.SocketHandshake;
import dev.switchboard.SocketInterceptor;
import dev.switchboard.handler.support.SocketHandler.Route;

/**
 * The application's {@link SocketInterceptor}s, in order, and every place they are
 * called: each step runs them one after the other, and the first error ends the step.
 */
final class InterceptorChain {

	private static final Log logger = LogFactory.getLog(InterceptorChain.class);

	private static final ThrottledLog failures = new ThrottledLog(logger);

	private final List<SocketInterceptor> interceptors;

	InterceptorChain(List<SocketInterceptor> interceptors) {
		this.interceptors = List.copyOf(interceptors);
	}

	/**
	 * Before the upgrade.
	 * @param handshake the handshake
	 * @return completes to go on
	 */
	Mono<Void> beforeHandshake(SocketHandshake handshake) {
		return Flux.fromIterable(this.interceptors)
			.concatMap((interceptor) -> interceptor.beforeHandshake(handshake))
			.then();
	}

	/**
	 * Once the connection is open and registered, before {@code @OnConnect}.
	 * @param connection the connection
	 * @param connected called after each interceptor that accepted the connection, so
	 * that exactly those hear of its disconnect
	 * @return completes to go on
	 */
	Mono<Void> onConnect(SocketConnection connection, Runnable connected) {
		return Flux.fromIterable(this.interceptors)
			.concatMap((interceptor) -> interceptor.onConnect(connection).then(Mono.fromRunnable(connected)))
			.then();
	}

	/**
	 * For each message, before it is routed.
	 * @param connection the connection it came from
	 * @param message the message
	 * @return the message to handle, empty to drop it
	 */
	Mono<InboundMessage> onMessage(SocketConnection connection, InboundMessage message) {
		Mono<InboundMessage> intercepted = Mono.just(message);
		for (SocketInterceptor interceptor : this.interceptors) {
			intercepted = intercepted.flatMap((current) -> interceptor.onMessage(connection, current));
		}
		return intercepted;
	}

	/**
	 * Once a message is routed, before its handler method runs: the handler runs if every
	 * interceptor allows the route, and an interceptor's error is marked as a refusal of
	 * the route ({@link Failures#refused}).
	 * @param <T> the type of the handler's replies
	 * @param connection the connection it came from
	 * @param route the route
	 * @param handler the handler's replies
	 * @return the handler's replies once allowed
	 */
	<T> Flux<T> beforeHandler(SocketConnection connection, Route route, Flux<T> handler) {
		if (this.interceptors.isEmpty()) {
			return handler;
		}
		return Flux.fromIterable(this.interceptors)
			.concatMap((interceptor) -> interceptor.beforeHandler(connection, route.name()))
			.then()
			.onErrorMap((ex) -> Failures.refused(route, ex))
			.thenMany(handler);
	}

	/**
	 * Whether there are no interceptors, so that the steps can be skipped.
	 * @return whether there are none
	 */
	boolean isEmpty() {
		return this.interceptors.isEmpty();
	}

	/**
	 * Before a connection of this instance joins a room.
	 * @param connection the connection
	 * @param room the room
	 * @return completes to allow the join
	 */
	Mono<Void> onJoin(SocketConnection connection, String room) {
		return Flux.fromIterable(this.interceptors)
			.concatMap((interceptor) -> interceptor.onJoin(connection, room))
			.then();
	}

	/**
	 * After the connection closed, for the interceptors whose {@code onConnect} accepted
	 * it; their failures are logged, and the others still run.
	 * @param connection the connection
	 * @param status the status it closed with
	 * @param connected how many interceptors accepted the connection
	 * @return completes when all have run
	 */
	Mono<Void> onDisconnect(SocketConnection connection, CloseStatus status, int connected) {
		return Flux.fromIterable(this.interceptors)
			.take(connected)
			.concatMap((interceptor) -> interceptor.onDisconnect(connection, status).onErrorResume((ex) -> {
				failures.error("interceptor:" + interceptor.getClass().getName(),
						() -> "Interceptor " + interceptor + " failed on the disconnect of " + connection.id(), ex);
				return Mono.empty();
			}))
			.then();
	}

}
