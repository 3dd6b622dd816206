package dev.switchboard;

import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Mono;

/**
 * Runs around the life of every connection of every socket, in {@code @Order} order, like
 * middleware: it can authenticate and authorize, enrich the connection's attributes
 * (which handler methods receive with {@code @Attribute}), transform or drop messages,
 * and reject.
 * <p>
 * Rejecting: before the upgrade, a {@link ConnectionRejectedException} answers with its
 * HTTP status (403 by default, 401 or 429 as the exception says) and no upgrade; after
 * it, the connection is closed with its close status (1008 by default). A
 * {@link ClientErrorException} from {@link #onMessage} or {@link #onJoin} is answered
 * with its error code (typically {@code forbidden}), and the message or join goes no
 * further.
 * <p>
 * Interceptors must not block: they run on the event loop, or on the thread that
 * completed the step before them (an authenticator's, say). An interceptor that applies
 * to some sockets only checks {@link SocketHandshake#socket()} or
 * {@link SocketConnection#socket()}.
 *
 * @since 0.1.0
 */
public interface SocketInterceptor {

	/**
	 * Called before the upgrade, after the origin check and authentication, and before
	 * the socket's need for a user is checked: an interceptor may authenticate the
	 * handshake. A {@link ClientErrorException} is answered with the HTTP status of its
	 * code.
	 * @param handshake the handshake request
	 * @return completes to go on; an error rejects the handshake
	 */
	default Mono<Void> beforeHandshake(SocketHandshake handshake) {
		return Mono.empty();
	}

	/**
	 * Called once the connection is open and registered, before {@code @OnConnect}.
	 * @param connection the connection
	 * @return completes to go on; an error closes the connection
	 */
	default Mono<Void> onConnect(SocketConnection connection) {
		return Mono.empty();
	}

	/**
	 * Called for each message before it is routed.
	 * @param connection the connection it came from
	 * @param message the message
	 * @return the message to handle, possibly a new one; empty to drop it silently
	 */
	default Mono<InboundMessage> onMessage(SocketConnection connection, InboundMessage message) {
		return Mono.just(message);
	}

	/**
	 * Called once a message is routed, before its handler method runs: the place to
	 * authorize by route.
	 * @param connection the connection the message came from
	 * @param route the message type that routed it, empty for the socket's default method
	 * @return completes to allow the message; a {@link ClientErrorException}, typically
	 * {@code forbidden}, answers the client and the handler does not run; any other error
	 * is answered as a handler's is ({@code forbidden} for Spring Security's
	 * {@code AccessDeniedException}, else {@code internal}), with the request's id
	 */
	default Mono<Void> beforeHandler(SocketConnection connection, String route) {
		return Mono.empty();
	}

	/**
	 * Called before a connection of this instance joins a room.
	 * @param connection the connection
	 * @param room the room
	 * @return completes to allow the join; a {@link ClientErrorException} forbids it
	 */
	default Mono<Void> onJoin(SocketConnection connection, String room) {
		return Mono.empty();
	}

	/**
	 * Called after the connection closed, whatever closed it, once this interceptor's
	 * {@link #onConnect} ran.
	 * @param connection the connection
	 * @param status the status it closed with
	 * @return completes when done; errors are logged
	 */
	default Mono<Void> onDisconnect(SocketConnection connection, CloseStatus status) {
		return Mono.empty();
	}

}
