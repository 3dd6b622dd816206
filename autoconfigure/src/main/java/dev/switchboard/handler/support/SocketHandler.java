package dev.switchboard.handler.support;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ExceptionDepthComparator;
import org.springframework.util.ConcurrentReferenceHashMap;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ErrorCode;
import dev.switchboard.InboundMessage;

/**
 * The handler methods of one socket, found at startup: its {@code @OnConnect} and
 * {@code @OnDisconnect} methods, the routing table of its {@code @OnMessage} methods and
 * its {@code @OnError} methods by exception type.
 *
 * @since 0.1.0
 */
public final class SocketHandler {

	private final SocketSettings settings;

	private final String typeField;

	private final @Nullable SocketHandlerMethod connect;

	private final @Nullable SocketHandlerMethod disconnect;

	private final Map<String, Route> routes;

	private final @Nullable Route fallback;

	private final Map<Class<? extends Throwable>, SocketHandlerMethod> errorHandlers;

	private final Map<Class<? extends Throwable>, Optional<SocketHandlerMethod>> errorHandlerCache = new ConcurrentReferenceHashMap<>();

	SocketHandler(SocketSettings settings, String typeField, @Nullable SocketHandlerMethod connect,
			@Nullable SocketHandlerMethod disconnect, Map<String, SocketHandlerMethod> routes,
			@Nullable SocketHandlerMethod fallback,
			Map<Class<? extends Throwable>, SocketHandlerMethod> errorHandlers) {
		this.settings = settings;
		this.typeField = typeField;
		this.connect = connect;
		this.disconnect = disconnect;
		// Built once: routing a message allocates nothing.
		Map<String, Route> byType = new HashMap<>();
		routes.forEach((type, method) -> byType.put(type, new Route(method, type)));
		this.routes = Map.copyOf(byType);
		this.fallback = (fallback != null) ? new Route(fallback, "") : null;
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
	 * The {@code @OnConnect} method.
	 * @return the method, {@code null} for none
	 */
	public @Nullable SocketHandlerMethod connectMethod() {
		return this.connect;
	}

	/**
	 * The {@code @OnDisconnect} method.
	 * @return the method, {@code null} for none
	 */
	public @Nullable SocketHandlerMethod disconnectMethod() {
		return this.disconnect;
	}

	/**
	 * Whether routing reads the type of a message: not when the socket has only a default
	 * {@code @OnMessage} method, which takes every text message.
	 * @return whether it does
	 */
	public boolean readsType() {
		return !this.routes.isEmpty() || this.fallback == null;
	}

	/**
	 * Finds the {@code @OnMessage} method of a message: the method of its type, else the
	 * socket's default method.
	 * @param message the message
	 * @param routing what routing needs of it; {@code null} when the socket does not
	 * {@link #readsType() read the type}
	 * @return the route
	 * @throws ClientErrorException {@code bad-request} for a message that no method
	 * takes, {@code not-found} for a type no method handles
	 */
	public Route route(InboundMessage message, @Nullable RoutingInfo routing) {
		if (!message.isText()) {
			if (this.fallback != null && this.fallback.method().acceptsBinary()) {
				return this.fallback;
			}
			throw new ClientErrorException(ErrorCode.BAD_REQUEST, "binary messages are not accepted");
		}
		if (routing != null && routing.jsonObject()) {
			if (routing.problem() != null) {
				throw new ClientErrorException(ErrorCode.BAD_REQUEST, routing.problem());
			}
			Route route = (routing.type() != null) ? this.routes.get(routing.type()) : null;
			if (route != null) {
				return route;
			}
		}
		if (this.fallback != null) {
			// The payload resolver of a typed fallback reports text that does not bind.
			return this.fallback;
		}
		if (routing == null) {
			throw new IllegalStateException("the type of the message was not read");
		}
		if (routing.problem() != null) {
			throw new ClientErrorException(ErrorCode.BAD_REQUEST, routing.problem());
		}
		if (!routing.jsonObject()) {
			throw new ClientErrorException(ErrorCode.BAD_REQUEST,
					"expected a JSON object with a '" + this.typeField + "' field");
		}
		throw new ClientErrorException(ErrorCode.NOT_FOUND, (routing.type() != null)
				? "no handler for type '" + routing.type() + "'" : "no '" + this.typeField + "' field");
	}

	/**
	 * Finds the {@code @OnError} method for the most specific type of an exception.
	 * @param error the exception
	 * @return the method, {@code null} for none
	 */
	public @Nullable SocketHandlerMethod errorMethod(Throwable error) {
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

	/**
	 * The method a message goes to, and the route that chose it.
	 *
	 * @param method the {@code @OnMessage} method
	 * @param name the message type that routed it, empty for the socket's default method
	 */
	public record Route(SocketHandlerMethod method, String name) {

	}

}
