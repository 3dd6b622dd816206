package dev.switchboard;

import java.util.Collection;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends to connections, users, rooms and sockets on any instance of the application, and
 * manages room membership and presence.
 * <p>
 * Every method is lazy, as Reactor's convention is: nothing is sent until the returned
 * publisher is subscribed to. Return it from a handler or a controller, or call
 * {@code subscribe()} where nothing else will (a {@code @Scheduled} job, a queue
 * consumer).
 * <p>
 * A send encodes its payload once, delivers it to the recipients connected to this
 * instance and publishes it once to the other instances that hold recipients. Its
 * {@link SendResult} says what is known; delivery across instances is at-most-once. A
 * send that cannot reach the registry fails with a {@link DeliveryException}.
 *
 * @since 0.1.0
 */
public interface Switchboard {

	/**
	 * Recipients made of one connection, wherever it is connected.
	 * @param connectionId the connection's {@link SocketConnection#id() id}
	 * @return the recipients
	 */
	Recipients toConnection(String connectionId);

	/**
	 * Recipients made of every connection of a user (all of their devices), on every
	 * instance.
	 * @param user the user's name, as {@link SocketConnection#user()} gives it
	 * @return the recipients
	 */
	Recipients toUser(String user);

	/**
	 * Recipients made of every connection of each of the given users.
	 * @param users the users' names
	 * @return the recipients
	 */
	Recipients toUsers(Collection<String> users);

	/**
	 * Recipients made of every connection that joined a room, on every instance.
	 * @param room the room's name
	 * @return the recipients
	 */
	Recipients toRoom(String room);

	/**
	 * Recipients made of every connection of a socket, on every instance.
	 * @param socket the socket's name, as {@code @Socket} declares it
	 * @return the recipients
	 */
	Recipients toSocket(String socket);

	/**
	 * Sends a payload to every connection of a socket; short for
	 * {@code toSocket(socket).send(payload)}.
	 * @param socket the socket's name
	 * @param payload the payload: a {@code String} goes as a text frame, a {@code byte[]}
	 * or {@code ByteBuffer} as a binary frame, anything else as JSON
	 * @return the result of the send
	 */
	default Mono<SendResult> broadcast(String socket, Object payload) {
		return toSocket(socket).send(payload);
	}

	/**
	 * Adds a connection to a room. A connection on another instance is asked to join
	 * through its instance.
	 * @param connectionId the connection's id
	 * @param room the room's name
	 * @return what is known of the join: the connection reached here, the instance it was
	 * forwarded to, or not connected
	 */
	Mono<SendResult> join(String connectionId, String room);

	/**
	 * Removes a connection from a room.
	 * @param connectionId the connection's id
	 * @param room the room's name
	 * @return what is known of the leave, as for {@link #join(String, String)}
	 */
	Mono<SendResult> leave(String connectionId, String room);

	/**
	 * Lists a user's open connections on every instance.
	 * @param user the user's name
	 * @return the connections, none when the user is offline
	 */
	Flux<ConnectionInfo> connectionsOf(String user);

	/**
	 * Lists the connections that joined a room, on every instance.
	 * @param room the room's name
	 * @return the members' connections
	 */
	Flux<ConnectionInfo> membersOf(String room);

	/**
	 * Whether a user has at least one open connection on any instance.
	 * @param user the user's name
	 * @return {@code true} when the user is online
	 */
	Mono<Boolean> isOnline(String user);

	/**
	 * Lists the users that have at least one open connection on any instance.
	 * @return the online users' names
	 */
	Flux<String> onlineUsers();

}
