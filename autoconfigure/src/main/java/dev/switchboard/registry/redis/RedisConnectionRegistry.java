package dev.switchboard.registry.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiFunction;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import dev.switchboard.ConnectionInfo;
import dev.switchboard.RegistryUnavailableException;
import dev.switchboard.UserOfflineEvent;
import dev.switchboard.UserOnlineEvent;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.RegistryContext;
import dev.switchboard.registry.RegistryContext.LocalConnection;
import dev.switchboard.registry.redis.RedisConnectionState.Status;

/**
 * The registry in Redis. Connect, disconnect, join and leave are each one atomic script,
 * one round trip; presence transitions are decided inside the scripts, so they happen
 * once in the cluster. While Redis is unreachable, connections are accepted and delivered
 * locally, and registered when it is back.
 * <p>
 * The registry owns what shares its connection: the {@link #messageBus() message bus} and
 * this instance's {@link #lease() lease}, which its lifecycle takes before the socket
 * server starts and gives back once the server has stopped. Built by
 * {@link RedisRegistryFactory}.
 *
 * @since 0.1.0
 */
public final class RedisConnectionRegistry implements ConnectionRegistry, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisConnectionRegistry.class);

	private final RegistryRedis redis;

	private final RedisMessageBus bus;

	private final RedisInstanceLease lease;

	// Connections registered since the data set began (its epoch): a restore after Redis
	// lost its data re-registers them without announcing them again.
	private final Set<String> registered = ConcurrentHashMap.newKeySet();

	// Connections whose room changes did not reach Redis.
	private final Set<String> stale = ConcurrentHashMap.newKeySet();

	// Connections closed while Redis was unreachable: removed from it once it is back, in
	// case a reconcile registered them again from an earlier snapshot.
	private final Queue<ConnectionInfo> closedWhileDown = new ConcurrentLinkedQueue<>();

	// Those of them that had been announced online: their users are checked after a
	// rebuild, whatever Redis still held of them.
	private final Set<String> announcedClosedWhileDown = ConcurrentHashMap.newKeySet();

	// Connections whose registration did not reach Redis (it was unreachable, or this
	// instance held no lease), registered with the next reconcile or recovery: those list
	// the connections open when they begin, and these may not be in the list yet.
	private final Map<String, LocalConnection> pendingRegistration = new ConcurrentHashMap<>();

	// Connections closed while a reconcile runs, which it must not register again.
	private final Set<String> closedWhileReconciling = ConcurrentHashMap.newKeySet();

	// Users whose last connection seemed to close while the registry was rebuilt after
	// Redis lost its data: announced offline once it is complete, if they still are.
	private final Map<String, String> offlineCandidates = new ConcurrentHashMap<>();

	private final RedisStreamHistory history;

	private volatile boolean reconciling;

	private volatile @Nullable RegistryContext context;

	RedisConnectionRegistry(RegistryRedis redis, RedisMessageBus bus, RedisRegistryFactory.Settings settings) {
		this.redis = redis;
		this.bus = bus;
		this.history = new RedisStreamHistory(redis);
		redis.state.addListener((from, to) -> {
			if (from == Status.RESYNCING && to == Status.UP) {
				announceOfflineCandidates();
			}
		});
		this.lease = new RedisInstanceLease(redis, this, bus, settings);
	}

	/**
	 * The message bus that shares this registry's connection and view of Redis.
	 * @return the bus
	 */
	public RedisMessageBus messageBus() {
		return this.bus;
	}

	/**
	 * The stream history that shares this registry's connection and view of Redis.
	 * @return the history
	 */
	public RedisStreamHistory streamHistory() {
		return this.history;
	}

	/**
	 * This instance's lease, whose state the health indicator reports.
	 * @return the lease
	 */
	public RedisInstanceLease lease() {
		return this.lease;
	}

	@Override
	public void start() {
		this.lease.start();
	}

	@Override
	public void stop() {
		this.lease.stop();
	}

	@Override
	public void serverStopping() {
		this.redis.state.shuttingDown(true);
	}

	@Override
	public boolean isRunning() {
		return this.lease.isRunning();
	}

	@Override
	public boolean isPauseable() {
		return false;
	}

	@Override
	public int getPhase() {
		return ConnectionRegistry.PHASE;
	}

	@Override
	public void attach(RegistryContext context) {
		this.context = context;
	}

	@Nullable RegistryContext context() {
		return this.context;
	}

	@Override
	public Mono<Registration> register(ConnectionInfo connection, int maxConnectionsPerUser) {
		return register(new LocalConnection(connection, Set.of(), Instant.now(), null), maxConnectionsPerUser);
	}

	@Override
	public Mono<Registration> register(LocalConnection local, int maxConnectionsPerUser) {
		ConnectionInfo connection = local.connection();
		if (!this.redis.state.isReachable()) {
			this.pendingRegistration.put(connection.id(), local);
			return Mono.just(Registration.REGISTERED);
		}
		return write(connect(local, maxConnectionsPerUser), "register a connection")
			.map((code) -> registration(local, code))
			// Registered when Redis answers again, as during an outage.
			.onErrorResume((ex) -> {
				this.pendingRegistration.put(connection.id(), local);
				return Mono.just(Registration.REGISTERED);
			});
	}

	private Mono<Long> connect(LocalConnection local, int maxConnectionsPerUser) {
		ConnectionInfo connection = local.connection();
		return this.redis.commands.connect(this.redis.instanceId, connection.id(), connection.socket(),
				userOf(connection), maxConnectionsPerUser, local.connectedAt().toEpochMilli(),
				(local.remoteAddress() != null) ? local.remoteAddress() : "");
	}

	private Registration registration(LocalConnection local, long code) {
		ConnectionInfo connection = local.connection();
		if (code == -1) {
			return Registration.OVER_LIMIT;
		}
		if (code == -2) {
			// The instance lost its lease: the connection is registered with the others
			// once it holds one again, by a reconcile that may list the local
			// connections before this one joins them.
			this.pendingRegistration.put(connection.id(), local);
			this.lease.leaseLost();
			return Registration.REGISTERED;
		}
		this.registered.add(connection.id());
		return (code == 1) ? Registration.CAME_ONLINE : Registration.REGISTERED;
	}

	@Override
	public Mono<Boolean> unregister(ConnectionInfo connection) {
		boolean announced = this.registered.remove(connection.id());
		this.stale.remove(connection.id());
		this.pendingRegistration.remove(connection.id());
		if (this.reconciling) {
			this.closedWhileReconciling.add(connection.id());
		}
		if (!this.redis.state.isReachable()) {
			closedWhileDown(connection, announced);
			// Back meanwhile: the recovery may have drained the queue before this one
			// joined it.
			return this.redis.state.isReachable() ? removeClosedWhileDown().thenReturn(false) : Mono.just(false);
		}
		boolean resyncing = this.redis.state.status() == Status.RESYNCING;
		return write(this.redis.commands.disconnect(this.redis.instanceId, connection.id()), "unregister a connection")
			.map((code) -> (resyncing && connection.user() != null && (announced || code == 1))
					? deferOffline(connection) : code == 1)
			.onErrorResume((ex) -> {
				closedWhileDown(connection, announced);
				return Mono.just(false);
			});
	}

	private void closedWhileDown(ConnectionInfo connection, boolean announced) {
		if (announced) {
			this.announcedClosedWhileDown.add(connection.id());
		}
		this.closedWhileDown.add(connection);
	}

	// While the registry is rebuilt, "the user's last connection" is not known either
	// way: the user may be connected on an instance that has not registered again yet,
	// and this connection may not be registered again yet either (Redis then answers
	// that it removed nothing). The user is checked once the registry is whole again;
	// if it became whole while this connection was removed, that is now.
	private boolean deferOffline(ConnectionInfo connection) {
		this.offlineCandidates.put(connection.user(), connection.id());
		if (this.redis.state.status() == Status.UP) {
			announceOfflineCandidates();
		}
		return false;
	}

	private void announceOfflineCandidates() {
		RegistryContext context = this.context;
		for (String user : List.copyOf(this.offlineCandidates.keySet())) {
			String connectionId = this.offlineCandidates.remove(user);
			if (connectionId == null || context == null) {
				continue;
			}
			isOnline(user).retryWhen(Retry.backoff(3, Duration.ofMillis(200))).subscribe((online) -> {
				if (!online) {
					context.publishEvent(new UserOfflineEvent(user, connectionId));
				}
			}, (ex) -> logger.debug("Could not check whether " + user + " is still online: " + ex.getMessage()));
		}
	}

	/**
	 * Registers the connections still open whose registration did not reach Redis: opened
	 * while it was unreachable, or while this instance held no lease.
	 * @return completes when done; an error leaves the rest to the next recovery
	 */
	Mono<Void> registerPendingConnections() {
		RegistryContext context = this.context;
		if (context == null || this.pendingRegistration.isEmpty()) {
			return Mono.empty();
		}
		Map<String, LocalConnection> open = new HashMap<>();
		context.localConnections().forEach((local) -> open.put(local.connection().id(), local));
		this.reconciling = true;
		return registerPending(context, open, false).doFinally((signal) -> {
			this.reconciling = false;
			this.closedWhileReconciling.clear();
		});
	}

	// Registers the pending connections, each with its rooms when it is in the local
	// table; one not yet in it has only just registered: it has no rooms yet.
	private Mono<Void> registerPending(RegistryContext context, Map<String, LocalConnection> open, boolean dataLost) {
		return Flux.fromIterable(List.copyOf(this.pendingRegistration.values()))
			.filter((local) -> this.pendingRegistration.remove(local.connection().id(), local))
			.concatMap((local) -> restore(context, open.getOrDefault(local.connection().id(), local), dataLost)
				.onErrorResume((ex) -> {
					this.pendingRegistration.putIfAbsent(local.connection().id(), local);
					return Mono.error(ex);
				}))
			.then();
	}

	/**
	 * Removes from Redis the connections that closed while it was unreachable, announcing
	 * the users that went offline; run once it is reachable again.
	 * @return completes when done; an error leaves the rest to the next recovery
	 */
	Mono<Void> removeClosedWhileDown() {
		return Flux.<ConnectionInfo>generate((sink) -> {
			ConnectionInfo next = this.closedWhileDown.poll();
			if (next != null) {
				sink.next(next);
			}
			else {
				sink.complete();
			}
		}).concatMap(this::removeClosed).then();
	}

	private Mono<Void> removeClosed(ConnectionInfo connection) {
		RegistryContext context = this.context;
		boolean announced = this.announcedClosedWhileDown.remove(connection.id());
		return this.redis.state
			.attempt(this.redis.commands.disconnect(this.redis.instanceId, connection.id()),
					"unregister a closed connection")
			.doOnNext((code) -> {
				if (connection.user() == null || context == null) {
					return;
				}
				if (this.redis.state.status() == Status.RESYNCING) {
					if (announced || code == 1) {
						deferOffline(connection);
					}
				}
				else if (code == 1) {
					context.publishEvent(new UserOfflineEvent(connection.user(), connection.id()));
				}
			})
			.onErrorResume((ex) -> {
				closedWhileDown(connection, announced);
				return Mono.error(ex);
			})
			.then();
	}

	@Override
	public Mono<Void> join(ConnectionInfo connection, String room) {
		return write(this.redis.commands.join(this.redis.instanceId, connection.id(), room, connection.socket(),
				userOf(connection)), "join a room")
			.doOnError((ex) -> this.stale.add(connection.id()))
			.then();
	}

	@Override
	public Mono<Void> leave(ConnectionInfo connection, String room) {
		return write(this.redis.commands.leave(this.redis.instanceId, connection.id(), room), "leave a room")
			.doOnError((ex) -> this.stale.add(connection.id()))
			.then();
	}

	@Override
	public Flux<ConnectionInfo> connectionsOf(String user) {
		return query("connections", user, "list connections").flatMapIterable((answer) -> connections(user, answer));
	}

	@Override
	public Flux<ConnectionInfo> membersOf(String room) {
		return query("members", room, "list room members").flatMapIterable(RedisConnectionRegistry::members);
	}

	@Override
	public Mono<Integer> countConnections(String user) {
		// An early answer, checked again atomically at registration: no epoch check.
		return this.redis.state.read(this.redis.commands.countConnections(user).map(Long::intValue),
				"count connections");
	}

	@Override
	public Mono<Boolean> isOnline(String user) {
		return query("online", user, "check presence").map((answer) -> ((Long) answer) == 1);
	}

	@Override
	public Flux<String> onlineUsers() {
		return query("users", "", "list online users").flatMapIterable(RedisConnectionRegistry::users);
	}

	/**
	 * What Redis holds about the whole cluster, read in one script run from counts that
	 * the registrations keep, whatever the number of connections; it asks no other
	 * instance.
	 * @return the overview; a {@link RegistryUnavailableException} while Redis is
	 * unreachable or the registry is rebuilt after it lost its data
	 */
	public Mono<Overview> overview() {
		Duration leaseTime = this.lease.leaseTime();
		return query("overview", "", "read the registry's overview").map((answer) -> {
			List<?> parts = (List<?>) answer;
			Map<String, Long> sockets = new LinkedHashMap<>();
			List<?> counts = (List<?>) parts.get(0);
			for (int i = 0; i + 1 < counts.size(); i += 2) {
				sockets.put(RegistryRedis.string(counts.get(i)),
						Long.parseLong(RegistryRedis.string(counts.get(i + 1))));
			}
			long now = (Long) parts.get(2);
			List<?> leases = (List<?>) parts.get(1);
			List<Lease> instances = new ArrayList<>(leases.size() / 2);
			for (int i = 0; i + 1 < leases.size(); i += 2) {
				long deadline = (long) Double.parseDouble(RegistryRedis.string(leases.get(i + 1)));
				Duration expiresIn = Duration.ofMillis(Math.max(0, deadline - now));
				Duration age = leaseTime.minus(expiresIn);
				instances.add(new Lease(RegistryRedis.string(leases.get(i)), age.isNegative() ? Duration.ZERO : age,
						expiresIn));
			}
			return new Overview(sockets, instances, Long.parseLong(RegistryRedis.string(parts.get(3))),
					(Long) parts.get(4));
		});
	}

	/**
	 * A connection as Redis holds it, on any instance, in one script run.
	 * @param id the connection's id
	 * @return the connection, empty when the registry does not know it; a
	 * {@link RegistryUnavailableException} while Redis is unreachable or the registry is
	 * rebuilt after it lost its data
	 */
	public Mono<RegisteredConnection> connection(String id) {
		return query("connection", id, "look a connection up").mapNotNull((answer) -> {
			List<?> found = (List<?>) answer;
			if (found.isEmpty()) {
				return null;
			}
			// Socket, connected since, remote address and the user or nothing, on lines.
			String[] entry = RegistryRedis.string(found.get(1)).split("\n", 4);
			Set<String> rooms = new TreeSet<>();
			((List<?>) found.get(2)).forEach((room) -> rooms.add(RegistryRedis.string(room)));
			ConnectionInfo connection = new ConnectionInfo(id, entry[0], entry[3].isEmpty() ? null : entry[3],
					RegistryRedis.string(found.get(0)));
			return new RegisteredConnection(connection, rooms, Instant.ofEpochMilli(Long.parseLong(entry[1])),
					entry[2].isEmpty() ? null : entry[2]);
		});
	}

	private Mono<Object> query(String query, String name, String what) {
		return this.redis.state.read(this.redis.query(query, name), what);
	}

	/**
	 * Reads the answer of the {@code connections} query.
	 * @param user the user
	 * @param answer the fields of the user's hash: instance, a newline, socket
	 * @return the user's connections
	 */
	static List<ConnectionInfo> connections(String user, Object answer) {
		return pairs(answer, (id, value) -> {
			String[] parts = value.split("\n", 2);
			return new ConnectionInfo(id, parts[1], user, parts[0]);
		});
	}

	/**
	 * Reads the answer of the {@code members} query.
	 * @param answer the fields of the room's hash: instance, socket and user, on lines
	 * @return the room's members
	 */
	static List<ConnectionInfo> members(Object answer) {
		return pairs(answer, (id, value) -> {
			String[] parts = value.split("\n", 3);
			return new ConnectionInfo(id, parts[1], parts[2].isEmpty() ? null : parts[2], parts[0]);
		});
	}

	/**
	 * Reads the answer of the {@code users} query.
	 * @param answer the online users
	 * @return their names
	 */
	static List<String> users(Object answer) {
		return ((List<?>) answer).stream().map(RegistryRedis::string).toList();
	}

	private static List<ConnectionInfo> pairs(Object answer, BiFunction<String, String, ConnectionInfo> entry) {
		List<?> flat = (List<?>) answer;
		List<ConnectionInfo> connections = new ArrayList<>(flat.size() / 2);
		for (int i = 0; i + 1 < flat.size(); i += 2) {
			connections.add(entry.apply(RegistryRedis.string(flat.get(i)), RegistryRedis.string(flat.get(i + 1))));
		}
		return connections;
	}

	/**
	 * Makes Redis agree with the connections open on this instance, after an outage or
	 * after survivors purged it: entries of connections closed meanwhile are removed
	 * (announcing the users that went offline), open connections and their rooms are
	 * registered.
	 * @param dataLost whether Redis lost its data, in which case connections announced
	 * before are registered again without announcing them again
	 * @return completes when Redis agrees; an error leaves the rest to the next attempt
	 */
	Mono<Void> reconcile(boolean dataLost) {
		RegistryContext context = this.context;
		if (context == null) {
			return Mono.empty();
		}
		this.reconciling = true;
		List<LocalConnection> local = context.localConnections();
		Set<String> open = new HashSet<>();
		local.forEach((connection) -> open.add(connection.connection().id()));
		this.pendingRegistration.keySet().removeAll(open);
		return this.redis.state
			.attempt(this.redis.commands.instanceConnections(this.redis.instanceId).collectList(),
					"read this instance's connections")
			.flatMapMany(Flux::fromIterable)
			.filter((entry) -> !open.contains(entry.getKey()))
			.concatMap((entry) -> removeClosed(indexed(entry)))
			.thenMany(Flux.fromIterable(local))
			.flatMap((connection) -> restore(context, connection, dataLost), 16)
			// Registered while this instance held no lease, after the list was taken.
			.then(registerPending(context, Map.of(), dataLost))
			.then(Mono.<Void>fromRunnable(() -> {
				int restored = local.size();
				if (restored > 0) {
					logger.info("Registered " + restored + " connection(s) of this instance in Redis again"
							+ (dataLost ? " after Redis lost its data" : ""));
				}
			}))
			.doFinally((signal) -> {
				this.reconciling = false;
				this.closedWhileReconciling.clear();
			});
	}

	// An entry of this instance's index: socket, connected since, remote address, and the
	// user or nothing, on lines.
	private ConnectionInfo indexed(Map.Entry<String, String> entry) {
		String[] value = entry.getValue().split("\n", 4);
		return new ConnectionInfo(entry.getKey(), value[0], value[3].isEmpty() ? null : value[3],
				this.redis.instanceId);
	}

	private Mono<Void> restore(RegistryContext context, LocalConnection local, boolean dataLost) {
		ConnectionInfo connection = local.connection();
		boolean announced = this.registered.contains(connection.id());
		Mono<Long> connect = this.redis.state.attempt(connect(local, 0), "register a connection")
			.flatMap((code) -> (code == -2)
					? Mono.error(new RegistryUnavailableException("the lease was lost again", null)) : Mono.just(code));
		Mono<Void> leaveStale = this.stale.remove(connection.id()) ? leaveRoomsNotJoined(local) : Mono.empty();
		Flux<Long> joins = Flux.fromIterable(local.rooms())
			.concatMap((room) -> this.redis.state.attempt(this.redis.commands.join(this.redis.instanceId,
					connection.id(), room, connection.socket(), userOf(connection)), "join a room"));
		Mono<Void> rejoin = leaveStale.thenMany(joins).then();
		// Announced once its rooms are back, so that what the announcement prompts
		// reaches them. Closed since the snapshot, perhaps before this registration
		// reached Redis: removed again.
		return connect.flatMap((code) -> {
			if (this.closedWhileReconciling.contains(connection.id())) {
				return removeClosed(connection);
			}
			return rejoin.then(Mono.fromRunnable(() -> {
				this.registered.add(connection.id());
				if (code == 1 && !(dataLost && announced)) {
					context.publishEvent(new UserOnlineEvent(connection.user(), connection.id()));
				}
			}));
		});
	}

	private Mono<Void> leaveRoomsNotJoined(LocalConnection local) {
		String id = local.connection().id();
		return this.redis.state
			.attempt(this.redis.commands.connectionRooms(id).collectList(), "read a connection's rooms")
			.flatMapMany(Flux::fromIterable)
			.filter((room) -> !local.rooms().contains(room))
			.concatMap((room) -> this.redis.state.attempt(this.redis.commands.leave(this.redis.instanceId, id, room),
					"leave a room"))
			.then();
	}

	// A write that Redis refused for another reason than unreachability, such as a
	// failover's READONLY, marks the link down: the recovery then makes Redis agree with
	// this instance's connections, as after an outage.
	private <T> Mono<T> write(Mono<T> operation, String what) {
		return this.redis.state.write(operation, what).doOnError((ex) -> {
			if (!(ex instanceof RegistryUnavailableException)) {
				logger.warn("Redis refused to " + what + ": " + RedisConnectionState.describe(ex));
				this.redis.state.down(ex);
			}
		});
	}

	private static String userOf(ConnectionInfo connection) {
		return (connection.user() != null) ? connection.user() : "";
	}

	/**
	 * What Redis holds about the whole cluster.
	 *
	 * @param connectionsBySocket the connections registered, by socket name
	 * @param instances the instances that hold a lease
	 * @param rooms how many rooms have at least one member
	 * @param onlineUsers how many users have at least one connection
	 */
	public record Overview(Map<String, Long> connectionsBySocket, List<Lease> instances, long rooms, long onlineUsers) {

	}

	/**
	 * The lease of a live instance.
	 *
	 * @param instance the instance's id
	 * @param age how long ago it was last renewed, reckoned with this instance's lease
	 * time (two thirds of {@code switchboard.redis.instance-timeout})
	 * @param expiresIn how long until it runs out, by Redis's clock
	 */
	public record Lease(String instance, Duration age, Duration expiresIn) {

	}

	/**
	 * A connection as Redis holds it.
	 *
	 * @param connection the connection
	 * @param rooms its rooms, sorted
	 * @param connectedAt when its handshake completed, by its instance's clock
	 * @param remoteAddress the client's address, {@code null} when unknown
	 */
	public record RegisteredConnection(ConnectionInfo connection, Set<String> rooms, Instant connectedAt,
			@Nullable String remoteAddress) {

	}

}
