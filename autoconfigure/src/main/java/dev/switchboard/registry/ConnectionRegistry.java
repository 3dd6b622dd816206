package dev.switchboard.registry;

import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.ConnectionInfo;

/**
 * The cluster-wide registry of connections, users (presence) and room memberships. Each
 * instance writes the entries of its own connections; any instance reads all of them.
 * <p>
 * Implementations make each write atomic, so that a user comes online and goes offline
 * exactly once in the cluster however their connections interleave.
 *
 * @since 0.1.0
 */
public interface ConnectionRegistry {

	/**
	 * Lifecycle phase of a registry that is a {@link SmartLifecycle}, as the Redis one
	 * is: it starts before the socket server and stops after it, so that every connection
	 * is registered and unregistered while it runs. The socket server's phase is derived
	 * from this one.
	 */
	int PHASE = SmartLifecycle.DEFAULT_PHASE - 768;

	/**
	 * Connects the registry to the instance it serves; called once, before any other
	 * method.
	 * @param context what the registry may ask of the instance
	 */
	default void attach(RegistryContext context) {
	}

	/**
	 * Registers a connection that has just opened.
	 * @param connection the connection
	 * @param maxConnectionsPerUser most connections a user may hold in the cluster, 0 for
	 * no limit
	 * @return whether the connection was accepted, and whether its user came online
	 */
	Mono<Registration> register(ConnectionInfo connection, int maxConnectionsPerUser);

	/**
	 * Registers a connection that has just opened, with when and from where it connected,
	 * which a registry may keep for operators; the runtime calls this one. By default, as
	 * {@link #register(ConnectionInfo, int)}.
	 * @param connection the connection, with no rooms yet
	 * @param maxConnectionsPerUser most connections a user may hold in the cluster, 0 for
	 * no limit
	 * @return whether the connection was accepted, and whether its user came online
	 */
	default Mono<Registration> register(RegistryContext.LocalConnection connection, int maxConnectionsPerUser) {
		return register(connection.connection(), maxConnectionsPerUser);
	}

	/**
	 * Tells the registry that the socket server began to shut down: it refuses new
	 * connections and closes the open ones, and the registry stops once it is done. A
	 * registry that reports its health reports it from then on.
	 */
	default void serverStopping() {
	}

	/**
	 * Unregisters a closed connection and its room memberships.
	 * @param connection the connection
	 * @return {@code true} when this was the last connection of its user
	 */
	Mono<Boolean> unregister(ConnectionInfo connection);

	/**
	 * Records that a connection joined a room.
	 * @param connection the connection
	 * @param room the room
	 * @return completes when recorded
	 */
	Mono<Void> join(ConnectionInfo connection, String room);

	/**
	 * Records that a connection left a room.
	 * @param connection the connection
	 * @param room the room
	 * @return completes when recorded
	 */
	Mono<Void> leave(ConnectionInfo connection, String room);

	/**
	 * Lists a user's connections.
	 * @param user the user
	 * @return the connections
	 */
	Flux<ConnectionInfo> connectionsOf(String user);

	/**
	 * Lists the connections in a room.
	 * @param room the room
	 * @return the connections
	 */
	Flux<ConnectionInfo> membersOf(String room);

	/**
	 * Counts a user's connections, to refuse a handshake over the per-user limit early.
	 * @param user the user
	 * @return the count
	 */
	Mono<Integer> countConnections(String user);

	/**
	 * Whether a user has a connection.
	 * @param user the user
	 * @return {@code true} when online
	 */
	Mono<Boolean> isOnline(String user);

	/**
	 * Lists the users that have a connection.
	 * @return the users
	 */
	Flux<String> onlineUsers();

	/**
	 * The outcome of a registration.
	 */
	enum Registration {

		/**
		 * Registered; the user was already online, or the connection is anonymous.
		 */
		REGISTERED,

		/**
		 * Registered, and this is the user's first connection.
		 */
		CAME_ONLINE,

		/**
		 * Refused: the user already holds the most connections allowed.
		 */
		OVER_LIMIT

	}

}
