package dev.switchboard.handler.support;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ExceptionDepthComparator;
import org.springframework.util.ConcurrentReferenceHashMap;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ConnectionRejectedException;
import dev.switchboard.DeliveryException;
import dev.switchboard.ErrorCode;
import dev.switchboard.RegistryUnavailableException;
import dev.switchboard.SocketConnection;
import dev.switchboard.handler.InboundMessage;
import dev.switchboard.handler.OutboundMessage;

/**
 * The handler methods of one socket and the wire contract around them: routing, replies
 * with the request's id, timeouts, {@code @OnError} methods and error replies.
 *
 * @since 0.1.0
 */
public final class SocketHandler {

	private static final Log logger = LogFactory.getLog(SocketHandler.class);

	private static final ThrottledLog failures = new ThrottledLog(logger);

	private final SocketSettings settings;

	private final MessageCodec codec;

	private final @Nullable SocketHandlerMethod connect;

	private final @Nullable SocketHandlerMethod disconnect;

	private final Map<String, SocketHandlerMethod> routes;

	private final @Nullable SocketHandlerMethod fallback;

	private final Map<Class<? extends Throwable>, SocketHandlerMethod> errorHandlers;

	private final ErrorObserver errorObserver;

	private final Map<Class<? extends Throwable>, Optional<SocketHandlerMethod>> errorHandlerCache = new ConcurrentReferenceHashMap<>();

	SocketHandler(SocketSettings settings, MessageCodec codec, @Nullable SocketHandlerMethod connect,
			@Nullable SocketHandlerMethod disconnect, Map<String, SocketHandlerMethod> routes,
			@Nullable SocketHandlerMethod fallback, Map<Class<? extends Throwable>, SocketHandlerMethod> errorHandlers,
			ErrorObserver errorObserver) {
		this.settings = settings;
		this.errorObserver = errorObserver;
		this.codec = codec;
		this.connect = connect;
		this.disconnect = disconnect;
		this.routes = Map.copyOf(routes);
		this.fallback = fallback;
		this.errorHandlers = Map.copyOf(errorHandlers);
	}

	/**
	 * The socket's settings.
	 * @return the settings
	 */
	public SocketSettings settings() {
		return this.settings;
	}

	/**
	 * Calls the {@code @OnConnect} method.
	 * @param connection the new connection
	 * @return the messages to send first; an error rejects the connection
	 */
	public Flux<OutboundMessage> connect(SocketConnection connection) {
		if (this.connect == null) {
			return Flux.empty();
		}
		SocketInvocationContext invocation = new SocketInvocationContext(connection, null, null, null);
		return withTimeout(this.connect, this.connect.invoke(invocation)).map(this.codec::encode);
	}

	/**
	 * Routes a message to its handler method and turns every outcome into replies,
	 * letting a guard allow or refuse its route before the handler runs. Only a
	 * {@link ConnectionRejectedException} is signalled as an error, for the connection to
	 * be closed.
	 * @param connection the connection the message came from
	 * @param message the message
	 * @param guard checks the route
	 * @return the replies to the sender
	 */
	public Flux<OutboundMessage> message(SocketConnection connection, InboundMessage message, RouteGuard guard) {
		return Flux.defer(() -> dispatch(connection, message, guard))
			.onErrorResume(SocketHandler::isRecoverable, (ex) -> {
				failures.error("message", () -> "Message handling failed for connection " + connection.id(), ex);
				return Flux.just(error(ErrorCode.INTERNAL, "internal error", null));
			});
	}

	private Flux<OutboundMessage> dispatch(SocketConnection connection, InboundMessage message, RouteGuard guard) {
		MessageHeader header = this.codec.inspect(message);
		SocketHandlerMethod method;
		try {
			method = route(message, header);
		}
		catch (ClientErrorException ex) {
			return Flux.just(error(ex.getCode(), ex.getMessage(), header.id()));
		}
		SocketInvocationContext invocation = new SocketInvocationContext(connection, message, null, null);
		String route = (method == this.fallback) ? "" : header.type();
		Flux<OutboundMessage> handled = withTimeout(method, method.invoke(invocation))
			.map((value) -> this.codec.encodeReply(value, header.id()))
			.onErrorResume(SocketHandler::isRecoverable, (ex) -> handleError(method, invocation, ex, header.id()));
		// Only the guard's errors reach the last step: the handler's are answered above.
		return guard.check(connection, route)
			.thenMany(handled)
			.onErrorResume(SocketHandler::isRecoverable, (ex) -> Flux
				.just(errorReply("Route guard of " + method, connection, Exceptions.unwrap(ex), header.id())));
	}

	/**
	 * An error reply to a message refused before it reached its handler, with the
	 * message's id.
	 * @param message the message
	 * @param code the error code
	 * @param text the error message for the client
	 * @return the reply
	 */
	public OutboundMessage refuse(InboundMessage message, ErrorCode code, String text) {
		return error(code, text, this.codec.inspect(message).id());
	}

	/**
	 * Calls the {@code @OnDisconnect} method; its failures are logged.
	 * @param connection the closed connection
	 * @param status the status it closed with
	 * @return completes when the method has
	 */
	public Mono<Void> disconnect(SocketConnection connection, CloseStatus status) {
		SocketHandlerMethod method = this.disconnect;
		if (method == null) {
			return Mono.empty();
		}
		SocketInvocationContext invocation = new SocketInvocationContext(connection, null, status, null);
		return withTimeout(method, method.invoke(invocation)).then().onErrorResume((ex) -> {
			log(method.toString(), () -> "@OnDisconnect method " + method + " failed for connection " + connection.id(),
					Exceptions.unwrap(ex));
			return Mono.empty();
		});
	}

	private SocketHandlerMethod route(InboundMessage message, MessageHeader header) {
		if (!message.isText()) {
			if (this.fallback != null && this.fallback.acceptsBinary()) {
				return this.fallback;
			}
			throw new ClientErrorException(ErrorCode.BAD_REQUEST, "binary messages are not accepted");
		}
		if (header.jsonObject()) {
			if (header.problem() != null) {
				throw new ClientErrorException(ErrorCode.BAD_REQUEST, header.problem());
			}
			SocketHandlerMethod method = (header.type() != null) ? this.routes.get(header.type()) : null;
			if (method != null) {
				return method;
			}
		}
		if (this.fallback != null) {
			// The payload resolver of a typed fallback reports text that does not bind.
			return this.fallback;
		}
		if (header.problem() != null) {
			throw new ClientErrorException(ErrorCode.BAD_REQUEST, header.problem());
		}
		if (!header.jsonObject()) {
			throw new ClientErrorException(ErrorCode.BAD_REQUEST,
					"expected a JSON object with a '" + this.codec.typeField() + "' field");
		}
		throw new ClientErrorException(ErrorCode.NOT_FOUND, (header.type() != null)
				? "no handler for type '" + header.type() + "'" : "no '" + this.codec.typeField() + "' field");
	}

	private Flux<OutboundMessage> handleError(SocketHandlerMethod method, SocketInvocationContext invocation,
			Throwable ex, @Nullable JsonNode id) {
		Throwable error = Exceptions.unwrap(ex);
		SocketHandlerMethod errorHandler = findErrorHandler(error);
		if (errorHandler == null) {
			return Flux.just(errorReply("Handler method " + method, invocation.connection(), error, id));
		}
		return withTimeout(errorHandler, errorHandler.invoke(invocation.withException(error)))
			.map((value) -> this.codec.encodeReply(value, id))
			.onErrorResume(SocketHandler::isRecoverable,
					(nested) -> Flux.just(errorReply("Handler method " + errorHandler, invocation.connection(),
							Exceptions.unwrap(nested), id)));
	}

	private OutboundMessage errorReply(String failed, SocketConnection connection, Throwable error,
			@Nullable JsonNode id) {
		if (error instanceof ClientErrorException clientError) {
			return error(clientError.getCode(), clientError.getMessage(), id);
		}
		if (isAccessDenied(error.getClass())) {
			return error(ErrorCode.FORBIDDEN, "access denied", id);
		}
		log(failed, () -> failed + " failed for connection " + connection.id(), error);
		return error(ErrorCode.INTERNAL, "internal error", id);
	}

	// A send that could not be delivered (Redis unreachable, a connection gone) is
	// reported without a stack trace, which would say nothing more; every failure is
	// throttled, so that a failure repeated for every message cannot flood the log.
	private static void log(String where, Supplier<String> message, Throwable error) {
		if (error instanceof DeliveryException || error instanceof RegistryUnavailableException) {
			failures.warn(where, message, error);
		}
		else {
			failures.error(where, message, error);
		}
	}

	private OutboundMessage error(ErrorCode code, String message, @Nullable JsonNode id) {
		this.errorObserver.errorReplied(this.settings.name(), code);
		return this.codec.encodeError(code, message, id);
	}

	private @Nullable SocketHandlerMethod findErrorHandler(Throwable error) {
		if (this.errorHandlers.isEmpty()) {
			return null;
		}
		return this.errorHandlerCache.computeIfAbsent(error.getClass(), (type) -> {
			// The closest match may be a type the error is not, when none is.
			Class<? extends Throwable> closest = ExceptionDepthComparator.findClosestMatch(this.errorHandlers.keySet(),
					error);
			return closest.isInstance(error) ? Optional.of(this.errorHandlers.get(closest)) : Optional.empty();
		}).orElse(null);
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

	private static boolean isRecoverable(Throwable ex) {
		return !(Exceptions.unwrap(ex) instanceof ConnectionRejectedException);
	}

	private static String describe(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	private static <T> Flux<T> withTimeout(SocketHandlerMethod method, Flux<T> flux) {
		Duration timeout = method.timeout();
		if (timeout == null) {
			return flux;
		}
		return flux.timeout(timeout, Flux.error(() -> new ClientErrorException(ErrorCode.TIMEOUT,
				"handler did not complete within " + describe(timeout))));
	}

	/**
	 * Observes the error replies sent to clients, for metrics.
	 */
	@FunctionalInterface
	public interface ErrorObserver {

		/**
		 * An error reply was sent.
		 * @param socket the socket's name
		 * @param code the reply's code
		 */
		void errorReplied(String socket, ErrorCode code);

	}

	/**
	 * Allows or refuses a message's route before its handler runs.
	 */
	@FunctionalInterface
	public interface RouteGuard {

		/**
		 * Allows every route.
		 */
		RouteGuard NONE = (connection, route) -> Mono.empty();

		/**
		 * Checks a route.
		 * @param connection the connection the message came from
		 * @param route the message type that routed it, empty for the default method
		 * @return completes to allow; a {@link ClientErrorException} to refuse
		 */
		Mono<Void> check(SocketConnection connection, String route);

	}

}
