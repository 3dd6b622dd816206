package dev.switchboard.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.SendResult;
import dev.switchboard.handler.support.OutboundMessage;
import dev.switchboard.registry.Destination;

/**
 * The connections open on this instance, indexed by id, user, room and socket, and local
 * delivery to them.
 */
final class LocalConnections {

	private final Map<String, NettySocketConnection> byId = new ConcurrentHashMap<>();

	private final Map<String, Set<NettySocketConnection>> byUser = new ConcurrentHashMap<>();

	private final Map<String, Set<NettySocketConnection>> byRoom = new ConcurrentHashMap<>();

	private final Map<String, Set<NettySocketConnection>> bySocket = new ConcurrentHashMap<>();

	void add(NettySocketConnection connection) {
		this.byId.put(connection.id(), connection);
		index(this.bySocket, connection.socket(), connection);
		if (connection.user() != null) {
			index(this.byUser, connection.user(), connection);
		}
	}

	void remove(NettySocketConnection connection) {
		Set<String> rooms = connection.markRemoved();
		this.byId.remove(connection.id());
		unindex(this.bySocket, connection.socket(), connection);
		if (connection.user() != null) {
			unindex(this.byUser, connection.user(), connection);
		}
		rooms.forEach((room) -> unindex(this.byRoom, room, connection));
	}

	/**
	 * Adds a connection to a room's index.
	 * @param connection the connection
	 * @param room the room
	 * @return {@code false} if the connection was already in the room or is gone
	 */
	boolean join(NettySocketConnection connection, String room) {
		synchronized (connection) {
			if (connection.isRemoved() || !connection.addRoom(room)) {
				return false;
			}
			index(this.byRoom, room, connection);
			return true;
		}
	}

	boolean leave(NettySocketConnection connection, String room) {
		synchronized (connection) {
			if (!connection.removeRoom(room)) {
				return false;
			}
			unindex(this.byRoom, room, connection);
			return true;
		}
	}

	@Nullable NettySocketConnection get(String id) {
		return this.byId.get(id);
	}

	Collection<NettySocketConnection> all() {
		return new ArrayList<>(this.byId.values());
	}

	int size() {
		return this.byId.size();
	}

	int size(String socket) {
		Set<NettySocketConnection> connections = this.bySocket.get(socket);
		return (connections != null) ? connections.size() : 0;
	}

	int rooms() {
		return this.byRoom.size();
	}

	int users() {
		return this.byUser.size();
	}

	/**
	 * Queues a message for every recipient of a destination on this instance.
	 * @param destination the recipients
	 * @param message the message
	 * @return how many connections took it and how many could not
	 */
	SendResult deliver(Destination destination, OutboundMessage message) {
		int reached = 0;
		int dropped = 0;
		for (NettySocketConnection connection : recipients(destination)) {
			if (connection.offer(message)) {
				reached++;
			}
			else {
				dropped++;
			}
		}
		return new SendResult(reached, 0, dropped);
	}

	/**
	 * Queues a message of a stream with history for every recipient of a destination on
	 * this instance: wrapped with its position for the connections that recover, as it
	 * was sent for the others.
	 * @param destination the recipients
	 * @param message the message
	 * @return how many connections took it and how many could not
	 */
	SendResult deliver(Destination destination, StampedMessage message) {
		int reached = 0;
		int dropped = 0;
		OutboundMessage plain = null;
		for (NettySocketConnection connection : recipients(destination)) {
			StreamCursors cursors = connection.cursors();
			if (cursors != null) {
				cursors.deliver(message);
				reached++;
				continue;
			}
			plain = (plain != null) ? plain : message.plain();
			if (connection.offer(plain)) {
				reached++;
			}
			else {
				dropped++;
			}
		}
		skipExcepted(destination, message);
		return new SendResult(reached, 0, dropped);
	}

	// A connection left out of a send still moves past its position, or it would take the
	// message for a gap and fetch it from the history.
	private void skipExcepted(Destination destination, StampedMessage message) {
		for (String id : destination.except()) {
			NettySocketConnection connection = this.byId.get(id);
			StreamCursors cursors = (connection != null) ? connection.cursors() : null;
			if (cursors != null) {
				cursors.skip(message);
			}
		}
	}

	/**
	 * Closes every recipient of a destination on this instance.
	 * @param destination the recipients
	 * @param status the close status
	 * @return how many connections were closed
	 */
	int close(Destination destination, CloseStatus status) {
		int closed = 0;
		for (NettySocketConnection connection : recipients(destination)) {
			if (connection.isOpen()) {
				connection.close(status, false);
				closed++;
			}
		}
		return closed;
	}

	private List<NettySocketConnection> recipients(Destination destination) {
		List<NettySocketConnection> recipients = new ArrayList<>();
		Predicate<NettySocketConnection> included = (connection) -> !destination.except().contains(connection.id());
		for (String name : destination.names()) {
			if (destination.type() == Destination.Type.CONNECTION) {
				NettySocketConnection connection = this.byId.get(name);
				if (connection != null && included.test(connection)) {
					recipients.add(connection);
				}
				continue;
			}
			Set<NettySocketConnection> group = groups(destination.type()).get(name);
			if (group != null) {
				group.stream().filter(included).forEach(recipients::add);
			}
		}
		return recipients;
	}

	private Map<String, Set<NettySocketConnection>> groups(Destination.Type type) {
		return switch (type) {
			case USER -> this.byUser;
			case ROOM -> this.byRoom;
			case SOCKET -> this.bySocket;
			case CONNECTION -> throw new IllegalArgumentException("connections are not grouped");
		};
	}

	private static void index(Map<String, Set<NettySocketConnection>> index, String key,
			NettySocketConnection connection) {
		index.compute(key, (name, connections) -> {
			Set<NettySocketConnection> updated = (connections != null) ? connections : ConcurrentHashMap.newKeySet();
			updated.add(connection);
			return updated;
		});
	}

	private static void unindex(Map<String, Set<NettySocketConnection>> index, String key,
			NettySocketConnection connection) {
		index.computeIfPresent(key, (name, connections) -> {
			connections.remove(connection);
			return connections.isEmpty() ? null : connections;
		});
	}

}
