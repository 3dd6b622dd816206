package dev.switchboard.handler;

import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.InboundMessage;
import dev.switchboard.RequestId;
import dev.switchboard.SocketConnection;

/**
 * One call of a handler method, as argument resolvers see it.
 *
 * @since 0.1.0
 */
public interface SocketInvocation {

	/**
	 * The connection the call is for.
	 * @return the connection
	 */
	SocketConnection connection();

	/**
	 * The message being handled, in {@code @OnMessage} and {@code @OnError} methods.
	 * @return the message or {@code null}
	 */
	@Nullable InboundMessage message();

	/**
	 * The status the connection closed with, in {@code @OnDisconnect} methods.
	 * @return the close status or {@code null}
	 */
	@Nullable CloseStatus closeStatus();

	/**
	 * The exception being handled, in {@code @OnError} methods.
	 * @return the exception or {@code null}
	 */
	@Nullable Throwable exception();

	/**
	 * The id the server gave the message being handled, in {@code @OnMessage} and
	 * {@code @OnError} methods.
	 * @return the request id or {@code null}
	 */
	default @Nullable RequestId requestId() {
		return null;
	}

}
