package dev.switchboard.runtime;

import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ConnectionRejectedException;
import dev.switchboard.DeliveryException;
import dev.switchboard.ErrorCode;
import dev.switchboard.InboundMessage;
import dev.switchboard.RegistryUnavailableException;
import dev.switchboard.SocketConnection;
import dev.switchboard.handler.support.MessageCodec;
import dev.switchboard.handler.support.OutboundMessage;
import dev.switchboard.handler.support.SocketHandler;
import dev.switchboard.handler.support.SocketHandler.Route;
import dev.switchboard.handler.support.SocketHandlerMethod;
import dev.switchboard.handler.support.SocketInvocationContext;
import dev.switchboard.runtime.SwitchboardMetrics.SocketMetrics;

/**
 * What a failure becomes, for one socket: every error raised while a message is handled
 * becomes an error reply with the request's id, after the socket's {@code @OnError}
 * method for it, if any, had its say; a {@link ConnectionRejectedException} and a failure
 * outside a message close the connection instead. Failures a client causes are not
 * logged; the server's own are, throttled.
 */
final class Failures {

	private static final Log logger = LogFactory.getLog(Failures.class);

	private static final ThrottledLog throttled = new ThrottledLog(logger);

	private final String socket;

	private final SocketHandler handler;

	private final MessageCodec codec;

	private final SocketMetrics meters;

	Failures(SocketHandler handler, MessageCodec codec, SocketMetrics meters) {
		this.socket = handler.settings().name();
		this.handler = handler;
		this.codec = codec;
		this.meters = meters;
	}

	/**
	 * Marks an error of the interceptors that check a route: it is answered as it is,
	 * without the socket's {@code @OnError} methods.
	 * @param route the route refused
	 * @param error the error
	 * @return the error, marked
	 */
	static Throwable refused(Route route, Throwable error) {
		return new StepFailure("Route guard of " + route.method(), null, error);
	}

	/**
	 * Marks an error of a handler method, or of encoding what it returned: the socket's
	 * {@code @OnError} method for it may answer it.
	 * @param route the route that chose the method
	 * @param error the error
	 * @return the error, marked
	 */
	static Throwable failed(Route route, Throwable error) {
		return new StepFailure("Handler method " + route.method(), route.method(), error);
	}

	/**
	 * The reply to a message whose handling failed; a {@link ConnectionRejectedException}
	 * is signalled, for the connection to be closed.
	 * @param error the failure, marked by {@link #refused} or {@link #failed} once a
	 * route was found
	 * @param invocation the invocation of the message
	 * @param id the message's id
	 * @param eventLoop the connection's event loop, for the {@code @OnError} method
	 * @return the reply
	 */
	Flux<OutboundMessage> reply(Throwable error, SocketInvocationContext invocation, @Nullable JsonNode id,
			Scheduler eventLoop) {
		String step = "Message handling";
		SocketHandlerMethod method = null;
		Throwable cause = Exceptions.unwrap(error);
		if (cause instanceof StepFailure failure) {
			step = failure.step;
			method = failure.method;
			cause = Exceptions.unwrap(failure.getCause());
		}
		if (cause instanceof ConnectionRejectedException) {
			return Flux.error(cause);
		}
		SocketHandlerMethod errorMethod = (method != null) ? this.handler.errorMethod(cause) : null;
		if (errorMethod == null) {
			return Flux.just(errorReply(step, invocation, cause, id));
		}
		return errorMethod.invoke(invocation.withException(cause), eventLoop)
			.map((value) -> this.codec.encodeReply(value, id))
			.onErrorResume((nested) -> !(Exceptions.unwrap(nested) instanceof ConnectionRejectedException),
					(nested) -> Flux
						.just(errorReply("Handler method " + errorMethod, invocation, Exceptions.unwrap(nested), id)));
	}

	/**
	 * The reply to a message refused before it was routed: over the rate limit, or by an
	 * interceptor.
	 * @param message the message
	 * @param code the error code
	 * @param reason the error message for the client
	 * @return the reply, with the message's id
	 */
	OutboundMessage refusal(InboundMessage message, ErrorCode code, String reason) {
		return error(code, reason, this.codec.inspect(message).id());
	}

	/**
	 * Closes a connection after a failure outside a message's handling, or one a reply
	 * cannot answer: with the rejection's status, 1008 for a client error, quietly when
	 * the client went away, else with 1011 and a log line.
	 * @param connection the connection
	 * @param error the failure
	 */
	void close(NettySocketConnection connection, Throwable error) {
		if (error instanceof ConnectionRejectedException rejected) {
			connection.close(rejected.getCloseStatus(), false);
		}
		else if (error instanceof ClientErrorException clientError) {
			connection.close(CloseStatus.POLICY_VIOLATION.withReason(clientError.getMessage()), false);
		}
		else if (Disconnects.isDisconnect(error, connection.channel())) {
			// The client went away: the channel is closed, and the connection cleaned up.
			if (logger.isDebugEnabled()) {
				logger.debug("Connection " + connection.id() + " ended: " + Disconnects.describe(error));
			}
		}
		else {
			throttled.error("connection",
					() -> "Connection " + connection.id() + " of socket '" + this.socket + "' failed", error);
			connection.close(CloseStatus.SERVER_ERROR.withReason("internal error"), false);
		}
	}

	/**
	 * Logs the failure of an {@code @OnDisconnect} method: nothing can be sent any more.
	 * @param method the method
	 * @param connection the closed connection
	 * @param error the failure
	 */
	void disconnectFailed(SocketHandlerMethod method, SocketConnection connection, Throwable error) {
		log(method.toString(), () -> "@OnDisconnect method " + method + " failed for connection " + connection.id(),
				Exceptions.unwrap(error));
	}

	private OutboundMessage errorReply(String failed, SocketInvocationContext invocation, Throwable error,
			@Nullable JsonNode id) {
		if (error instanceof ClientErrorException clientError) {
			return error(clientError.getCode(), clientError.getMessage(), id);
		}
		if (isAccessDenied(error.getClass())) {
			return error(ErrorCode.FORBIDDEN, "access denied", id);
		}
		log(failed,
				() -> failed + " failed for connection " + invocation.connection().id() + ", request "
						+ invocation.requestId() + " (socket '" + this.socket + "', user "
						+ userOf(invocation.connection()) + ")",
				error);
		return error(ErrorCode.INTERNAL, "internal error", id);
	}

	private static String userOf(SocketConnection connection) {
		String user = connection.user();
		return (user != null) ? ConnectionLog.clean(user) : "anonymous";
	}

	private OutboundMessage error(ErrorCode code, String message, @Nullable JsonNode id) {
		this.meters.errorReplied(code);
		return this.codec.encodeError(code, message, id);
	}

	// A send that could not be delivered (Redis unreachable, a connection gone) is
	// reported without a stack trace, which would say nothing more; every failure is
	// throttled, so that a failure repeated for every message cannot flood the log.
	private static void log(String where, Supplier<String> message, Throwable error) {
		if (error instanceof DeliveryException || error instanceof RegistryUnavailableException) {
			throttled.warn(where, message, error);
		}
		else {
			throttled.error(where, message, error);
		}
	}

	// Spring Security's method security (@PreAuthorize on a handler), without depending
	// on it.
	private static boolean isAccessDenied(Class<?> type) {
		for (Class<?> current = type; current != null; current = current.getSuperclass()) {
			if (current.getName().equals("org.springframework.security.access.AccessDeniedException")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * An error marked with the step of a message's handling that raised it.
	 */
	private static final class StepFailure extends RuntimeException {

		private final String step;

		private final transient @Nullable SocketHandlerMethod method;

		StepFailure(String step, @Nullable SocketHandlerMethod method, Throwable cause) {
			super(null, cause, false, false);
			this.step = step;
			this.method = method;
		}

	}

}
