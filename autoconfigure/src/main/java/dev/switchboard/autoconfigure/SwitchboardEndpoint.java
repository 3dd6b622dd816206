package dev.switchboard.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import reactor.core.publisher.Mono;

import dev.switchboard.ConnectionInfo;
import dev.switchboard.registry.RegistryContext.LocalConnection;
import dev.switchboard.runtime.HandshakeNegotiator;
import dev.switchboard.runtime.SwitchboardServer;

/**
 * The {@code switchboard} Actuator endpoint: the sockets with their connection counts on
 * this instance and in the cluster, the live instances, the numbers of rooms and online
 * users, and one connection by id. Read-only. With the Redis registry the cluster's
 * figures are read from Redis, in one script run, without asking the other instances;
 * with the in-memory registry this instance is the cluster.
 *
 * @since 0.1.0
 */
@Endpoint(id = "switchboard")
public final class SwitchboardEndpoint {

	private final SwitchboardServer server;

	private final Registry registry;

	SwitchboardEndpoint(SwitchboardServer server, Registry registry) {
		this.server = server;
		this.registry = registry;
	}

	/**
	 * An endpoint that knows only this instance, as with the in-memory registry.
	 * @param server the server
	 * @return the endpoint
	 */
	static SwitchboardEndpoint local(SwitchboardServer server) {
		return new SwitchboardEndpoint(server, new LocalRegistry(server));
	}

	/**
	 * The sockets, instances, rooms and online users.
	 * @return the overview; an error while the registry cannot answer
	 */
	@ReadOperation
	public Mono<Overview> overview() {
		return this.registry.cluster().map((cluster) -> {
			List<SocketView> sockets = this.server.endpoints()
				.stream()
				.map(HandshakeNegotiator::socket)
				.map((socket) -> new SocketView(socket.name(), socket.path(),
						this.server.connectionCount(socket.name()),
						cluster.connectionsBySocket().getOrDefault(socket.name(), 0L)))
				.toList();
			return new Overview(this.registry.name(), this.server.settings().instanceId(), sockets, cluster.instances(),
					cluster.rooms(), cluster.onlineUsers());
		});
	}

	/**
	 * One connection, on any instance.
	 * @param id the connection's id
	 * @return the connection, empty when no instance has it; an error while the registry
	 * cannot answer
	 */
	@ReadOperation
	public Mono<ConnectionView> connection(@Selector String id) {
		return this.registry.connection(id);
	}

	static ConnectionView view(LocalConnection local) {
		ConnectionInfo connection = local.connection();
		return new ConnectionView(connection.id(), connection.socket(), connection.user(), connection.instance(),
				new TreeSet<>(local.rooms()), local.connectedAt().toString(), local.remoteAddress());
	}

	/**
	 * Where the endpoint reads the cluster's figures.
	 */
	interface Registry {

		/**
		 * The registry's name, {@code redis} or {@code memory}.
		 * @return the name
		 */
		String name();

		/**
		 * The cluster's figures.
		 * @return the figures
		 */
		Mono<Cluster> cluster();

		/**
		 * A connection on any instance.
		 * @param id its id
		 * @return the connection, empty when unknown
		 */
		Mono<ConnectionView> connection(String id);

	}

	/**
	 * The figures of the cluster.
	 *
	 * @param connectionsBySocket connections by socket name
	 * @param instances the live instances
	 * @param rooms rooms with a member
	 * @param onlineUsers users with a connection
	 */
	record Cluster(Map<String, Long> connectionsBySocket, List<InstanceView> instances, long rooms, long onlineUsers) {

	}

	/**
	 * This instance alone.
	 */
	private static final class LocalRegistry implements Registry {

		private final SwitchboardServer server;

		LocalRegistry(SwitchboardServer server) {
			this.server = server;
		}

		@Override
		public String name() {
			return "memory";
		}

		@Override
		public Mono<Cluster> cluster() {
			return Mono.fromSupplier(() -> {
				Map<String, Long> sockets = new LinkedHashMap<>();
				this.server.endpoints()
					.forEach((endpoint) -> sockets.put(endpoint.socket().name(),
							(long) this.server.connectionCount(endpoint.socket().name())));
				return new Cluster(sockets, List.of(new InstanceView(this.server.settings().instanceId(), null, null)),
						this.server.roomCount(), this.server.userCount());
			});
		}

		@Override
		public Mono<ConnectionView> connection(String id) {
			return Mono.fromSupplier(() -> {
				LocalConnection local = this.server.describe(id);
				return (local != null) ? view(local) : null;
			});
		}

	}

	/**
	 * What the endpoint shows.
	 *
	 * @param registry {@code redis} or {@code memory}
	 * @param instance the id of the instance that answers
	 * @param sockets the sockets
	 * @param instances the live instances
	 * @param rooms how many rooms have a member, in the cluster
	 * @param onlineUsers how many users have a connection, in the cluster
	 */
	public record Overview(String registry, String instance, List<SocketView> sockets, List<InstanceView> instances,
			long rooms, long onlineUsers) {

	}

	/**
	 * A socket.
	 *
	 * @param name its name
	 * @param path its path
	 * @param localConnections connections open on this instance
	 * @param clusterConnections connections registered in the cluster
	 */
	public record SocketView(String name, String path, long localConnections, long clusterConnections) {

	}

	/**
	 * A live instance.
	 *
	 * @param id its id
	 * @param leaseAge how long ago it renewed its lease (ISO-8601), absent without Redis
	 * @param leaseExpiresIn how long until its lease runs out (ISO-8601), absent without
	 * Redis
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record InstanceView(String id, @Nullable String leaseAge, @Nullable String leaseExpiresIn) {

	}

	/**
	 * A connection.
	 *
	 * @param id its id
	 * @param socket its socket's name
	 * @param user its user, absent when anonymous
	 * @param instance the instance that holds it
	 * @param rooms its rooms, sorted
	 * @param connectedAt when its handshake completed (ISO-8601)
	 * @param remoteAddress the client's address, absent when unknown
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record ConnectionView(String id, String socket, @Nullable String user, String instance, Set<String> rooms,
			String connectedAt, @Nullable String remoteAddress) {

	}

}
