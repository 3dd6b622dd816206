package dev.switchboard.handler.support;

import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.InboundMessage;
import dev.switchboard.RequestId;
import dev.switchboard.SocketConnection;
import dev.switchboard.handler.SocketInvocation;

/**
 * An invocation of a handler method.
 *
 * @param connection the connection
 * @param message the message, for message and error handlers
 * @param closeStatus the close status, for disconnect handlers
 * @param exception the exception, for error handlers
 * @param sequence the message's number on the connection, from 1; 0 outside a message
 */
public record SocketInvocationContext(SocketConnection connection, @Nullable InboundMessage message,
		@Nullable CloseStatus closeStatus, @Nullable Throwable exception, long sequence) implements SocketInvocation {

	/**
	 * An invocation outside a message, or of a message without a number.
	 * @param connection the connection
	 * @param message the message, for message and error handlers
	 * @param closeStatus the close status, for disconnect handlers
	 * @param exception the exception, for error handlers
	 */
	public SocketInvocationContext(SocketConnection connection, @Nullable InboundMessage message,
			@Nullable CloseStatus closeStatus, @Nullable Throwable exception) {
		this(connection, message, closeStatus, exception, 0);
	}

	/**
	 * An invocation of an {@code @OnConnect} method.
	 * @param connection the new connection
	 * @return the invocation
	 */
	public static SocketInvocationContext connect(SocketConnection connection) {
		return new SocketInvocationContext(connection, null, null, null);
	}

	/**
	 * An invocation of an {@code @OnMessage} method.
	 * @param connection the connection the message came from
	 * @param message the message
	 * @param sequence the message's number on the connection, from 1
	 * @return the invocation
	 */
	public static SocketInvocationContext message(SocketConnection connection, InboundMessage message, long sequence) {
		return new SocketInvocationContext(connection, message, null, null, sequence);
	}

	/**
	 * An invocation of an {@code @OnDisconnect} method.
	 * @param connection the closed connection
	 * @param status the status it closed with
	 * @return the invocation
	 */
	public static SocketInvocationContext disconnect(SocketConnection connection, CloseStatus status) {
		return new SocketInvocationContext(connection, null, status, null);
	}

	/**
	 * This invocation, for the {@code @OnError} method of an exception it raised.
	 * @param exception the exception
	 * @return the invocation of the error handler
	 */
	public SocketInvocationContext withException(Throwable exception) {
		return new SocketInvocationContext(this.connection, this.message, this.closeStatus, exception, this.sequence);
	}

	/**
	 * The message's id, made when asked for: most messages never need it.
	 * @return the id, or {@code null} outside a message
	 */
	@Override
	public @Nullable RequestId requestId() {
		return (this.sequence > 0) ? new RequestId(this.connection.id(), this.sequence) : null;
	}

}
