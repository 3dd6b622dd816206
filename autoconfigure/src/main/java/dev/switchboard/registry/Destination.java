package dev.switchboard.registry;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who an envelope is for.
 *
 * @param type the kind of recipient
 * @param names the connection ids, users, room or socket named, without duplicates
 * @param except connections to leave out
 * @since 0.1.0
 */
public record Destination(Type type, List<String> names, Set<String> except) {

	/**
	 * Creates a destination.
	 * @param type the kind of recipient
	 * @param names the names; duplicates are dropped
	 * @param except connections to leave out
	 */
	public Destination {
		names = List.copyOf(new LinkedHashSet<>(names));
		except = Set.copyOf(except);
	}

	/**
	 * Creates a destination that leaves no connection out.
	 * @param type the kind of recipient
	 * @param names the names
	 * @return the destination
	 */
	public static Destination of(Type type, List<String> names) {
		return new Destination(type, names, Set.of());
	}

	/**
	 * One connection.
	 * @param connectionId the connection's id
	 * @return the destination
	 */
	public static Destination connection(String connectionId) {
		return of(Type.CONNECTION, List.of(connectionId));
	}

	/**
	 * Leaves one more connection out.
	 * @param connectionId the connection to leave out
	 * @return a copy of this destination without that connection
	 */
	public Destination except(String connectionId) {
		Set<String> except = new HashSet<>(this.except);
		except.add(connectionId);
		return new Destination(this.type, this.names, except);
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
