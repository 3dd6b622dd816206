package dev.switchboard.registry;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Who an envelope is for.
 *
 * @param type the kind of recipient
 * @param names the connection ids, users, room or socket named
 * @param except a connection to leave out, or {@code null}
 * @since 0.1.0
 */
public record Target(Type type, List<String> names, @Nullable String except) {

	/**
	 * Creates a target.
	 * @param type the kind of recipient
	 * @param names the names
	 * @param except a connection to leave out, or {@code null}
	 */
	public Target {
		names = List.copyOf(names);
	}

	/**
	 * One connection.
	 * @param connectionId the connection's id
	 * @return the target
	 */
	public static Target connection(String connectionId) {
		return new Target(Type.CONNECTION, List.of(connectionId), null);
	}

	/**
	 * Leaves a connection out.
	 * @param connectionId the connection to leave out
	 * @return a copy of this target without that connection
	 */
	public Target except(String connectionId) {
		return new Target(this.type, this.names, connectionId);
	}

	/**
	 * The kinds of recipient.
	 */
	public enum Type {

		/**
		 * Connections by id.
		 */
		CONNECTION,

		/**
		 * Every connection of users.
		 */
		USER,

		/**
		 * Every connection in a room.
		 */
		ROOM,

		/**
		 * Every connection of a socket.
		 */
		SOCKET

	}

}
