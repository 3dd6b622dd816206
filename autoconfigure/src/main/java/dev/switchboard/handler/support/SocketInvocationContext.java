package dev.switchboard.handler.support;

import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.InboundMessage;
import dev.switchboard.SocketConnection;
import dev.switchboard.handler.SocketInvocation;

/**
 * An invocation of a handler method.
 *
 * @param connection the connection
 * @param message the message, for message and error handlers
 * @param closeStatus the close status, for disconnect handlers
 * @param exception the exception, for error handlers
 */
record SocketInvocationContext(SocketConnection connection, @Nullable InboundMessage message,
		@Nullable CloseStatus closeStatus, @Nullable Throwable exception) implements SocketInvocation {

	SocketInvocationContext withException(Throwable exception) {
		return new SocketInvocationContext(this.connection, this.message, this.closeStatus, exception);
	}

}
