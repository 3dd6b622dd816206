package dev.switchboard;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Mono;

/**
 * An open WebSocket connection on this instance, as handler methods and interceptors see
 * it.
 * <p>
 * The handshake details (headers, query and path parameters, remote address, principal)
 * are a snapshot taken at the upgrade. Attributes are mutable and safe to share between
 * threads; interceptors use them to hand data to handler methods.
 *
 * @since 0.1.0
 */
public interface SocketConnection {

	/**
	 * Cluster-wide unique id of the connection; pass it to
	 * {@link Switchboard#toConnection(String)} from anywhere.
	 * @return the id
	 */
	String id();

	/**
	 * Name of the socket the connection belongs to.
	 * @return the socket's name
	 */
	String socket();

	/**
	 * The authenticated user's name, {@code null} for an anonymous connection.
	 * @return the user or {@code null}
	 */
	@Nullable String user();

	/**
	 * The principal authenticated at the handshake, {@code null} for an anonymous
	 * connection.
	 * @return the principal or {@code null}
	 */
	@Nullable Principal principal();

	/**
	 * Mutable, thread-safe attributes of the connection; like any concurrent map, they
	 * hold no {@code null} keys or values.
	 * @return the attributes
	 */
	Map<String, Object> attributes();

	/**
	 * Returns an attribute.
	 * @param <T> the attribute's type
	 * @param name the attribute's name
	 * @return the attribute or {@code null}
	 */
	@SuppressWarnings("unchecked")
	default <T> @Nullable T attribute(String name) {
		return (T) attributes().get(name);
	}

	/**
	 * Headers of the handshake request (read-only).
	 * @return the headers
	 */
	HttpHeaders headers();

	/**
	 * Query parameters of the handshake request (read-only).
	 * @return the query parameters
	 */
	MultiValueMap<String, String> queryParams();

	/**
	 * Variables of the socket's path template, for example {@code room} in
	 * {@code /ws/rooms/{room}}.
	 * @return the path variables, empty when the path has none
	 */
	Map<String, String> pathVariables();

	/**
	 * URI of the handshake request. The connection keeps it as text and parses it on each
	 * call.
	 * @return the URI
	 */
	URI uri();

	/**
	 * Address of the client, as seen through Boot's forwarded-header handling when
	 * enabled.
	 * @return the address or {@code null} when unknown
	 */
	@Nullable InetSocketAddress remoteAddress();

	/**
	 * The subprotocol negotiated at the handshake.
	 * @return the subprotocol or {@code null} when none was negotiated
	 */
	@Nullable String subprotocol();

	/**
	 * Rooms the connection has joined.
	 * @return a read-only view of the rooms
	 */
	Set<String> rooms();

	/**
	 * Whether the connection is still open.
	 * @return {@code true} until a close has begun
	 */
	boolean isOpen();

	/**
	 * Sends a payload to this connection, encoded as {@link Recipients#send(Object)}
	 * does.
	 * @param payload the payload
	 * @return completes once the message is queued for writing; fails with a
	 * {@link DeliveryException} when the connection is closed or its outbound buffer is
	 * full
	 */
	Mono<Void> send(Object payload);

	/**
	 * Joins a room.
	 * @param room the room's name
	 * @return completes once the registry knows the membership
	 */
	Mono<Void> join(String room);

	/**
	 * Leaves a room.
	 * @param room the room's name
	 * @return completes once the registry knows
	 */
	Mono<Void> leave(String room);

	/**
	 * Closes the connection after the messages already queued, with a close handshake.
	 * @param status the close status sent to the client
	 * @return completes once the close frame is queued
	 */
	Mono<Void> close(CloseStatus status);

	/**
	 * Closes the connection after the messages already queued, with a close handshake, as
	 * {@link #close(CloseStatus)} does, with the close reason that {@link Recipients}
	 * take.
	 * @param reason the close code and reason sent to the client
	 * @return completes once the close frame is queued
	 */
	default Mono<Void> close(CloseReason reason) {
		String text = reason.reason();
		return close((text != null) ? new CloseStatus(reason.code(), text) : new CloseStatus(reason.code()));
	}

}
