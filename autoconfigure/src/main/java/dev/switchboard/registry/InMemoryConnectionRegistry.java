package dev.switchboard.registry;

import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.ConnectionInfo;

/**
 * The registry of a single instance, the default when Redis is not configured. Each write
 * is atomic per user, so presence transitions happen exactly once.
 *
 * @since 0.1.0
 */
public final class InMemoryConnectionRegistry implements ConnectionRegistry {

	private final Map<String, Map<String, ConnectionInfo>> users = new ConcurrentHashMap<>();

	private final Map<String, Map<String, ConnectionInfo>> rooms = new ConcurrentHashMap<>();

	private final Map<String, Set<String>> roomsOfConnection = new ConcurrentHashMap<>();

	@Override
	public Mono<Registration> register(ConnectionInfo connection, int maxConnectionsPerUser) {
		return Mono.fromSupplier(() -> {
			String user = connection.user();
			if (user == null) {
				return Registration.REGISTERED;
			}
			Registration[] outcome = new Registration[1];
			this.users.compute(user, (key, connections) -> {
				Map<String, ConnectionInfo> updated = (connections != null) ? connections : new ConcurrentHashMap<>();
				if (maxConnectionsPerUser > 0 && updated.size() >= maxConnectionsPerUser) {
					outcome[0] = Registration.OVER_LIMIT;
				}
				else {
					outcome[0] = updated.isEmpty() ? Registration.CAME_ONLINE : Registration.REGISTERED;
					updated.put(connection.id(), connection);
				}
				return updated.isEmpty() ? null : updated;
			});
			return outcome[0];
		});
	}

	@Override
	public Mono<Boolean> unregister(ConnectionInfo connection) {
		return Mono.fromSupplier(() -> {
			Set<String> joined = this.roomsOfConnection.remove(connection.id());
			if (joined != null) {
				joined.forEach((room) -> removeMember(room, connection.id()));
			}
			String user = connection.user();
			if (user == null) {
				return false;
			}
			boolean[] wentOffline = new boolean[1];
			this.users.computeIfPresent(user, (key, connections) -> {
				boolean removed = connections.remove(connection.id()) != null;
				wentOffline[0] = removed && connections.isEmpty();
				return connections.isEmpty() ? null : connections;
			});
			return wentOffline[0];
		});
	}

	@Override
	public Mono<Void> join(ConnectionInfo connection, String room) {
		return Mono.fromRunnable(() -> {
			this.roomsOfConnection.computeIfAbsent(connection.id(), (id) -> ConcurrentHashMap.newKeySet()).add(room);
			this.rooms.computeIfAbsent(room, (key) -> new ConcurrentHashMap<>()).put(connection.id(), connection);
		});
	}

	@Override
	public Mono<Void> leave(ConnectionInfo connection, String room) {
		return Mono.fromRunnable(() -> {
			this.roomsOfConnection.computeIfPresent(connection.id(), (id, joined) -> {
				joined.remove(room);
				return joined.isEmpty() ? null : joined;
			});
			removeMember(room, connection.id());
		});
	}

	private void removeMember(String room, String connectionId) {
		this.rooms.computeIfPresent(room, (key, members) -> {
			members.remove(connectionId);
			return members.isEmpty() ? null : members;
		});
	}

	@Override
	public Flux<ConnectionInfo> connectionsOf(String user) {
		return Flux.defer(() -> Flux.fromIterable(snapshot(this.users.get(user))));
	}

	@Override
	public Flux<ConnectionInfo> membersOf(String room) {
		return Flux.defer(() -> Flux.fromIterable(snapshot(this.rooms.get(room))));
	}

	private static Iterable<ConnectionInfo> snapshot(Map<String, ConnectionInfo> connections) {
		return (connections != null) ? new ArrayList<>(connections.values()) : new ArrayList<>();
	}

	@Override
	public Mono<Integer> countConnections(String user) {
		return Mono.fromSupplier(() -> {
			Map<String, ConnectionInfo> connections = this.users.get(user);
			return (connections != null) ? connections.size() : 0;
		});
	}

	@Override
	public Mono<Boolean> isOnline(String user) {
		return Mono.fromSupplier(() -> this.users.containsKey(user));
	}

	@Override
	public Flux<String> onlineUsers() {
		return Flux.defer(() -> Flux.fromIterable(new ArrayList<>(this.users.keySet())));
	}

}
