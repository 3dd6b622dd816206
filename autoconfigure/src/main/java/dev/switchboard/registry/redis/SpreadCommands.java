package dev.switchboard.registry.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import dev.switchboard.registry.StreamHistory;

/**
 * The registry's commands in the spread layout, where the keys of each instance, user and
 * room share a hash tag of their own: each script touches one slot, and an operation that
 * concerns an instance, a user and rooms runs a script in each of their slots, in an
 * order that a crash at any point leaves repairable by a purge of the instance (its index
 * is the last to forget a connection, the first to know one). A send looks its
 * recipients' instances up, then publishes to each instance's own channel.
 * <p>
 * The cluster-wide sets of online users and rooms in use are set from what the user's or
 * room's slot says, read again after the write until both agree: two instances that
 * update the same name at once leave the set right.
 */
final class SpreadCommands implements RegistryCommands {

	private static final Range<Long> ALL = Range.closed(0L, -1L);

	// Rounds of a set's repair: each needs another instance's change to the name in
	// between to go on.
	private static final int SYNC_ROUNDS = 5;

	private static final int LOOKUP_CHUNK = 1000;

	private static final Duration EPOCH_REUSE = Duration.ofMillis(50);

	/**
	 * The thread that writes the publishes of the sends, in the order of the sends.
	 */
	private static final Scheduler PUBLISHING = Schedulers.newSingle("switchboard-publish", true);

	// Connections a purge batch removes at most: each takes several round trips, and the
	// batch one command timeout.
	private static final int PURGE_BATCH = 64;

	private static final Log logger = LogFactory.getLog(SpreadCommands.class);

	private final ReactiveRedisTemplate<byte[], byte[]> template;

	private final RedisKeys keys;

	private final RedisScripts scripts;

	private final RegistryPubSub pubSub;

	private final Function<String, String> nodeOf;

	private final boolean countsReceivers;

	private final List<String> leases;

	private volatile @Nullable EpochRead epochRead;

	private final InOrderRelease inOrder = new InOrderRelease();

	/**
	 * Creates the commands.
	 * @param template the template
	 * @param keys the keys, in the spread layout
	 * @param scripts the scripts
	 * @param pubSub how to publish to an instance
	 * @param nodeOf the node that holds a key, as far as this instance knows: the same
	 * for every key on a single Redis
	 * @param countsReceivers whether a publish's count of receivers covers every
	 * subscriber of its channel: not with classic pub/sub on a Cluster, where it covers
	 * those of the node that ran it
	 */
	SpreadCommands(ReactiveRedisTemplate<byte[], byte[]> template, RedisKeys keys, RedisScripts scripts,
			RegistryPubSub pubSub, Function<String, String> nodeOf, boolean countsReceivers) {
		this.template = template;
		this.keys = keys;
		this.scripts = scripts;
		this.pubSub = pubSub;
		this.nodeOf = nodeOf;
		this.countsReceivers = countsReceivers;
		this.leases = List.of(keys.instances(), keys.purging());
	}

	@Override
	public Mono<Long> connect(String instance, String connection, String socket, String user, int limit, long since,
			String remoteAddress) {
		Mono<Long> indexed = this.scripts.run(
				this.scripts.spreadConnectInstance, List.of(this.keys.instanceIndex(instance),
						this.keys.instanceSockets(instance), this.keys.instanceAlive(instance)),
				connection, socket, since, remoteAddress, user);
		if (user.isEmpty()) {
			return indexed;
		}
		return indexed.flatMap((code) -> (code < 0) ? Mono.just(code)
				: this.scripts.run(this.scripts.spreadConnectUser, userKeys(user), instance, connection, socket, limit)
					.flatMap((added) -> {
						if (added == -1) {
							// Over the limit: the index lets it go again.
							return disconnect(instance, connection).thenReturn(-1L);
						}
						// Purged meanwhile, with its instance: the purge may have passed
						// the
						// user before the user had it.
						return isIndexed(instance, connection).flatMap((indexedStill) -> {
							if (!indexedStill) {
								return removeFromUser(instance, connection, user).thenReturn(-2L);
							}
							return (added == 1) ? syncMember(this.keys.online(), user, this.keys.userConnections(user))
								.thenReturn(1L) : Mono.just(0L);
						});
					}));
	}

	private Mono<Boolean> isIndexed(String instance, String connection) {
		return this.template.opsForHash()
			.hasKey(RegistryRedis.bytes(this.keys.instanceIndex(instance)), RegistryRedis.bytes(connection));
	}

	// Removes a connection from its user's keys; the user when that was their last.
	private Mono<String> removeFromUser(String instance, String connection, String user) {
		return this.scripts.run(this.scripts.spreadRemoveUser, userKeys(user), instance, connection)
			.flatMap((last) -> (last == 1)
					? syncMember(this.keys.online(), user, this.keys.userConnections(user)).thenReturn(user)
					: Mono.just(""));
	}

	@Override
	public Mono<Long> disconnect(String instance, String connection) {
		return remove(instance, connection, false).map((offline) -> offline.isEmpty() ? 0L : 1L);
	}

	// Removes a connection: from the instance's index to its closing hash, then from its
	// rooms and its user at once, then from the closing hash. Returns its user when that
	// was their last connection, else an empty string. A purge also sets the online users
	// and rooms in use right for each user and room, whatever the removals decided: a
	// dead
	// instance may have died between a decision and its set's update.
	private Mono<String> remove(String instance, String connection, boolean repairSets) {
		return this.scripts
			.run(this.scripts.spreadClose,
					List.of(this.keys.instanceIndex(instance), this.keys.instanceClosing(instance),
							this.keys.instanceSockets(instance), this.keys.connectionRooms(connection)),
					connection)
			.flatMap((closed) -> {
				if (closed.isEmpty()) {
					return Mono.just("");
				}
				String user = RegistryRedis.string(closed.get(0)).split("\n", 4)[3];
				List<String> rooms = ((List<?>) closed.get(1)).stream().map(RegistryRedis::string).toList();
				Mono<Void> leaveRooms = Flux.fromIterable(rooms)
					.flatMap((room) -> leaveRoom(instance, connection, room).then(repairSets
							? syncMember(this.keys.activeRooms(), room, this.keys.roomMembers(room)) : Mono.empty()))
					.then();
				Mono<String> offline = user.isEmpty() ? Mono.just("")
						: removeFromUser(instance, connection, user).flatMap((last) -> (repairSets && last.isEmpty())
								? syncMember(this.keys.online(), user, this.keys.userConnections(user)).thenReturn(last)
								: Mono.just(last));
				return Mono.zip(leaveRooms.thenReturn(true), offline, (left, last) -> last)
					.flatMap(
							(last) -> this.scripts
								.run(this.scripts.spreadForget,
										List.of(this.keys.instanceClosing(instance),
												this.keys.connectionRooms(connection)),
										connection)
								// Left in the closing hash: its instance's purge removes
								// it, and the
								// decision above is not lost.
								.onErrorResume((ex) -> {
									logger.debug("Could not finish removing connection " + connection + " from Redis",
											ex);
									return Mono.just(0L);
								})
								.thenReturn(last));
			});
	}

	@Override
	public Mono<Long> join(String instance, String connection, String room, String socket, String user) {
		return this.scripts
			.run(this.scripts.spreadJoinInstance,
					List.of(this.keys.instanceIndex(instance), this.keys.connectionRooms(connection)), connection, room)
			.flatMap((noted) -> {
				if (noted < 0) {
					return Mono.just(-1L);
				}
				return this.scripts.run(this.scripts.spreadJoinRoom, roomKeys(room), instance, connection, socket, user)
					.flatMap((added) -> ((added == 2)
							? syncMember(this.keys.activeRooms(), room, this.keys.roomMembers(room))
							: Mono.<Void>empty())
						// Closed meanwhile: its removal may have passed the room before
						// the room had it.
						.then(this.template.opsForHash()
							.hasKey(RegistryRedis.bytes(this.keys.instanceIndex(instance)),
									RegistryRedis.bytes(connection)))
						.flatMap((open) -> open ? Mono.just(Math.min(added, 1L))
								: leaveRoom(instance, connection, room).thenReturn(-1L)));
			});
	}

	@Override
	public Mono<Long> leave(String instance, String connection, String room) {
		return leaveRoom(instance, connection, room).flatMap((left) -> this.template.opsForSet()
			.remove(RegistryRedis.bytes(this.keys.connectionRooms(connection)), RegistryRedis.bytes(room))
			.thenReturn(Math.min(left, 1L)));
	}

	private Mono<Long> leaveRoom(String instance, String connection, String room) {
		return this.scripts.run(this.scripts.spreadLeaveRoom, roomKeys(room), instance, connection)
			.flatMap((left) -> (left == 2)
					? syncMember(this.keys.activeRooms(), room, this.keys.roomMembers(room)).thenReturn(left)
					: Mono.just(left));
	}

	// Makes a cluster-wide set hold the name exactly when the source key exists, reading
	// the source again after each write: of two instances that change the same name at
	// once, the last to write reads the final state.
	private Mono<Void> syncMember(String set, String name, String source) {
		byte[] setKey = RegistryRedis.bytes(set);
		byte[] member = RegistryRedis.bytes(name);
		Mono<Boolean> exists = this.template.hasKey(RegistryRedis.bytes(source));
		return exists.expand((present) -> {
			Mono<Long> write = present ? this.template.opsForSet().add(setKey, member)
					: this.template.opsForSet().remove(setKey, member);
			return write.then(exists).filter((now) -> now != present);
		}).take(SYNC_ROUNDS).then().onErrorResume((ex) -> {
			// The operation it follows is done: a failure here leaves only the set
			// behind,
			// which the next change of the name sets right.
			logger.debug("Could not update " + set + " for " + name, ex);
			return Mono.empty();
		});
	}

	@Override
	public Mono<Long> send(String origin, String kind, byte[] envelope, String epoch, List<String> names) {
		return Mono.defer(() -> {
			long started = System.nanoTime();
			Flux<String> holders = switch (kind) {
				case "u" -> (names.size() == 1) ? range(this.keys.userInstances(names.get(0))) : lookUpUsers(names);
				case "r" -> range(this.keys.roomInstances(names.get(0)));
				default -> {
					String connection = names.get(0);
					String instance = RedisKeys.instanceOf(connection);
					yield instance.isEmpty() ? Flux.empty()
							: isIndexed(instance, connection).filter(Boolean::booleanValue)
								.map((found) -> instance)
								.flux();
				}
			};
			// The epoch is read after the lookup, on its way. The lookups and the reads
			// complete on the threads of several nodes, in any order: the publishes are
			// released in the order of the sends, so that those of one sender to one
			// recipient leave in that order. Empty when the epoch changed.
			Mono<Optional<Set<String>>> recipients = holders.filter((instance) -> !instance.equals(origin))
				.collect(LinkedHashSet<String>::new, Set::add)
				.flatMap((instances) -> sameEpoch(epoch, started)
					.map((same) -> same ? Optional.<Set<String>>of(instances) : Optional.<Set<String>>empty()));
			// One thread writes them all: the connections' event loops write their own
			// publishes at once, ahead of those other threads have queued.
			return this.inOrder.after(recipients)
				.publishOn(PUBLISHING)
				.flatMap((found) -> found.isPresent() ? publish(found.get(), envelope) : Mono.just(-1L));
		});
	}

	/**
	 * Sends to the stream with history of a user or a room: one script run on the user's
	 * or room's slot, whose hash tag the history shares, looks the recipients' instances
	 * up and keeps the message at its position; the publishes follow, in the order of the
	 * sends, as for {@link #send}, carrying the position. A publish that fails leaves the
	 * message kept.
	 * @param origin this instance
	 * @param kind {@code u} a user, {@code r} a room
	 * @param epoch the registry's epoch this instance knows, empty to skip the check
	 * @param name the user or room
	 * @param stream the stream
	 * @param limits how much history it keeps
	 * @param message the message kept in the history
	 * @param envelope the envelope to publish, given the message's position
	 * @return the instances it was published to, the epoch and the offset; {@code -1}
	 * alone when the data set changed, {@code -2} when no subscriber received it
	 */
	@SuppressWarnings("rawtypes")
	Mono<List> sendToStream(String origin, String kind, String epoch, String name, String stream,
			StreamHistory.Limits limits, byte[] message, Function<StreamHistory.Position, byte[]> envelope) {
		return Mono.defer(() -> {
			long started = System.nanoTime();
			String holders = kind.equals("u") ? this.keys.userInstances(name) : this.keys.roomInstances(name);
			Mono<Optional<Kept>> kept = this.scripts
				.run(this.scripts.spreadSendHistory,
						List.of(holders, this.keys.history(stream), this.keys.historyPosition(stream)), message,
						limits.size(), RedisStreamHistory.age(limits), RedisStreamHistory.positionAge(limits))
				.flatMap((result) -> {
					StreamHistory.Position position = new StreamHistory.Position(RegistryRedis.string(result.get(0)),
							RedisStreamHistory.number(result.get(1)));
					Set<String> instances = new LinkedHashSet<>();
					for (Object instance : result.subList(2, result.size())) {
						instances.add(RegistryRedis.string(instance));
					}
					instances.remove(origin);
					// Encoded here, in parallel, not on the one thread that publishes.
					byte[] encoded = envelope.apply(position);
					return sameEpoch(epoch, started).map((same) -> same
							? Optional.of(new Kept(position, instances, encoded)) : Optional.<Kept>empty());
				});
			// In the order of the sends, on one thread, as send's.
			return this.inOrder.after(kept)
				.publishOn(PUBLISHING)
				.flatMap((found) -> found.isEmpty() ? Mono.<List>just(List.of(-1L)) : publish(found.get().instances(),
						found.get().envelope())
					.map((count) -> List.of(count, found.get().position().epoch(), found.get().position().offset())));
		});
	}

	/**
	 * Broadcasts to a socket's stream with history: one script run on the slot of the
	 * shared channel, which the history shares, gives the message its position, publishes
	 * it (envelope version 3) and keeps it.
	 * @param envelope the envelope
	 * @param sharded whether to publish with {@code SPUBLISH}
	 * @param message the message kept in the history
	 * @param stream the stream
	 * @param limits how much history it keeps
	 * @return the other instances that received it, the epoch and the offset
	 */
	@SuppressWarnings("rawtypes")
	Mono<List> broadcastToStream(byte[] envelope, boolean sharded, byte[] message, String stream,
			StreamHistory.Limits limits) {
		return this.scripts.run(this.scripts.spreadBroadcastHistory,
				List.of(this.keys.history(stream), this.keys.historyPosition(stream)), this.keys.busChannel(), envelope,
				sharded ? "1" : "0", message, limits.size(), RedisStreamHistory.age(limits),
				RedisStreamHistory.positionAge(limits));
	}

	// Publishes to each instance's channel, and counts those that received it. When none
	// did while Redis counts receivers, Redis dropped it everywhere: -2.
	private Mono<Long> publish(Set<String> instances, byte[] envelope) {
		if (instances.isEmpty()) {
			return Mono.just(0L);
		}
		return Flux.fromIterable(instances)
			.flatMap((instance) -> this.pubSub.publish(this.keys.instanceChannel(instance), envelope))
			.filter((received) -> received > 0 || !this.countsReceivers)
			.count()
			.map((received) -> (received == 0) ? -2L : received);
	}

	// One script run per node that holds some of the users' keys, for up to a thousand
	// users each.
	private Flux<String> lookUpUsers(List<String> users) {
		Map<String, List<String>> byNode = new LinkedHashMap<>();
		for (String user : users) {
			String key = this.keys.userInstances(user);
			byNode.computeIfAbsent(this.nodeOf.apply(key), (node) -> new ArrayList<>()).add(key);
		}
		return Flux.fromIterable(byNode.values())
			.flatMapIterable((keys) -> chunks(keys, LOOKUP_CHUNK))
			.flatMap((keys) -> this.scripts.run(this.scripts.spreadLookUpUsers, keys.subList(0, 1), keys.toArray()))
			.flatMapIterable((instances) -> (List<?>) instances)
			.map(RegistryRedis::string)
			// Grouped by a topology that changed since (a key not on its node): one read
			// per user instead.
			.onErrorResume((Throwable ex) -> !RedisConnectionState.isUnavailability(ex),
					(Throwable ex) -> Flux.fromIterable(users).flatMap((user) -> range(this.keys.userInstances(user))));
	}

	private static List<List<String>> chunks(List<String> keys, int size) {
		List<List<String>> chunks = new ArrayList<>();
		for (int from = 0; from < keys.size(); from += size) {
			chunks.add(keys.subList(from, Math.min(keys.size(), from + size)));
		}
		return chunks;
	}

	private Flux<String> range(String key) {
		return this.template.opsForZSet().range(RegistryRedis.bytes(key), ALL).map(RegistryRedis::string);
	}

	// The epoch as read by a read that began after the operation did, and at most
	// EPOCH_REUSE ago: the sends of that time share one read of the cluster-wide slot,
	// which would otherwise take one per send.
	private Mono<Boolean> sameEpoch(String known, long startedAt) {
		if (known.isEmpty()) {
			return Mono.just(true);
		}
		return Mono.defer(() -> {
			EpochRead read = this.epochRead;
			long now = System.nanoTime();
			if (read == null || read.readAt() - startedAt < 0 || now - read.readAt() > EPOCH_REUSE.toNanos()) {
				read = new EpochRead(now, epoch().defaultIfEmpty("").cache());
				this.epochRead = read;
			}
			EpochRead current = read;
			// A failed read is not reused.
			return current.epoch().doOnError((ex) -> this.epochRead = null);
		}).map(known::equals);
	}

	@Override
	@SuppressWarnings("rawtypes")
	public Mono<List> query(String epoch, String query, String name) {
		Mono<Object> answer = switch (query) {
			case "online" -> this.template.hasKey(RegistryRedis.bytes(this.keys.userConnections(name)))
				.map((online) -> online ? 1L : 0L);
			case "users" -> this.template.opsForSet()
				.members(RegistryRedis.bytes(this.keys.online()))
				.collectList()
				.cast(Object.class);
			case "connections" -> flatHash(this.keys.userConnections(name));
			case "members" -> flatHash(this.keys.roomMembers(name));
			case "instances" ->
				this.template.opsForZSet().size(RegistryRedis.bytes(this.keys.instances())).cast(Object.class);
			case "overview" -> overview();
			case "connection" -> connection(name);
			default -> Mono.error(new IllegalArgumentException("unknown query " + query));
		};
		return Mono.defer(() -> Mono.zip(answer, sameEpoch(epoch, System.nanoTime())))
			.map((found) -> found.getT2() ? List.of(1L, found.getT1()) : List.of(0L));
	}

	private Mono<Object> flatHash(String key) {
		return this.template.opsForHash()
			.entries(RegistryRedis.bytes(key))
			.flatMapIterable((entry) -> List.of(entry.getKey(), entry.getValue()))
			.collectList()
			.cast(Object.class);
	}

	// As query.lua's overview: the counts by socket summed over the instances' own,
	// those being purged included.
	private Mono<Object> overview() {
		Mono<List<TypedTuple<byte[]>>> leases = this.template.opsForZSet()
			.rangeWithScores(RegistryRedis.bytes(this.keys.instances()), ALL)
			.collectList()
			.cache();
		Flux<String> purging = range(this.keys.purging());
		Mono<Map<String, Long>> sockets = leases
			.flatMapMany((live) -> Flux.fromIterable(live).map((lease) -> RegistryRedis.string(lease.getValue())))
			.concatWith(purging)
			.flatMap((instance) -> RegistryRedis.hashEntries(this.template, this.keys.instanceSockets(instance)))
			.collect(LinkedHashMap::new,
					(counts, entry) -> counts.merge(entry.getKey(), Long.parseLong(entry.getValue()), Long::sum));
		Mono<Long> now = this.template.execute((connection) -> connection.serverCommands().time()).next();
		Mono<Long> rooms = this.template.opsForSet().size(RegistryRedis.bytes(this.keys.activeRooms()));
		Mono<Long> online = this.template.opsForSet().size(RegistryRedis.bytes(this.keys.online()));
		return Mono.zip(sockets, leases, now, rooms, online).map((parts) -> {
			List<Object> counts = new ArrayList<>();
			parts.getT1().forEach((socket, count) -> {
				counts.add(socket);
				counts.add(Long.toString(count));
			});
			List<Object> instances = new ArrayList<>();
			for (TypedTuple<byte[]> lease : parts.getT2()) {
				instances.add(lease.getValue());
				instances.add(Long.toString(lease.getScore().longValue()));
			}
			return List.of(counts, instances, parts.getT3(), Long.toString(parts.getT4()), parts.getT5());
		});
	}

	private Mono<Object> connection(String id) {
		String instance = RedisKeys.instanceOf(id);
		if (instance.isEmpty()) {
			return Mono.just(List.of());
		}
		return this.template.opsForHash()
			.get(RegistryRedis.bytes(this.keys.instanceIndex(instance)), RegistryRedis.bytes(id))
			.flatMap((value) -> connectionRooms(id).collectList()
				.map((rooms) -> (Object) List.of(instance, value, new ArrayList<Object>(rooms))))
			.defaultIfEmpty(List.of());
	}

	@Override
	@SuppressWarnings("rawtypes")
	public Mono<List> heartbeat(String instance, long lease, String candidate) {
		return this.scripts.run(this.scripts.heartbeat, this.leases, this.keys.prefix(), instance, lease, candidate)
			.flatMap((result) -> ((Long) result.get(0) < 0) ? Mono.just(result)
					: this.template.opsForValue()
						.set(RegistryRedis.bytes(this.keys.instanceAlive(instance)), RegistryRedis.bytes("1"),
								Duration.ofMillis(lease))
						.thenReturn(result));
	}

	@Override
	@SuppressWarnings("rawtypes")
	public Mono<List> reap(String instance, long claim, int limit) {
		// A claimed instance registers nothing more: its purge then finds every entry.
		return this.scripts.run(this.scripts.reap, this.leases, this.keys.prefix(), instance, claim, limit)
			.flatMap((claimed) -> Flux.fromIterable((List<?>) claimed)
				.flatMap((dead) -> this.template
					.delete(RegistryRedis.bytes(this.keys.instanceAlive(RegistryRedis.string(dead)))))
				.then(Mono.just(claimed)));
	}

	@Override
	@SuppressWarnings("rawtypes")
	public Mono<List> purge(String instance, int batch, long claim, boolean renewClaim) {
		// Connections whose removal began first: the instance died amid it.
		Flux<String> connections = this.template.opsForHash()
			.keys(RegistryRedis.bytes(this.keys.instanceClosing(instance)))
			.concatWith(this.template.opsForHash()
				.randomKeys(RegistryRedis.bytes(this.keys.instanceIndex(instance)), batch))
			.map(RegistryRedis::string)
			.distinct()
			.take(Math.min(batch, PURGE_BATCH));
		Mono<List<Object>> offline = connections
			.flatMap((connection) -> remove(instance, connection, true).filter((user) -> !user.isEmpty())
				.map((user) -> List.of(user, connection)), 16)
			.collect(ArrayList::new, List::addAll);
		return offline.flatMap((users) -> remaining(instance).flatMap(
				(remaining) -> this.scripts
					.run(this.scripts.spreadPurged, List.of(this.keys.purging()), instance, remaining, claim,
							renewClaim ? "1" : "0")
					.map((left) -> {
						List<Object> result = new ArrayList<>();
						result.add(left);
						result.addAll(users);
						return (List) result;
					})));
	}

	private Mono<Long> remaining(String instance) {
		return Mono.zip(this.template.opsForHash().size(RegistryRedis.bytes(this.keys.instanceIndex(instance))),
				this.template.opsForHash().size(RegistryRedis.bytes(this.keys.instanceClosing(instance))), Long::sum);
	}

	@Override
	public Mono<Long> leaveCluster(String instance, long claim) {
		return this.template.delete(RegistryRedis.bytes(this.keys.instanceAlive(instance)))
			.then(remaining(instance))
			.flatMap((remaining) -> this.scripts.run(this.scripts.spreadLeaveCluster, this.leases, instance, remaining,
					claim));
	}

	@Override
	public Flux<Map.Entry<String, String>> instanceConnections(String instance) {
		return RegistryRedis.hashEntries(this.template, this.keys.instanceIndex(instance));
	}

	@Override
	public Flux<String> connectionRooms(String connection) {
		return this.template.opsForSet()
			.members(RegistryRedis.bytes(this.keys.connectionRooms(connection)))
			.map(RegistryRedis::string);
	}

	@Override
	public Mono<Long> countConnections(String user) {
		return this.template.opsForHash().size(RegistryRedis.bytes(this.keys.userConnections(user)));
	}

	@Override
	public Mono<String> epoch() {
		return this.template.opsForValue().get(RegistryRedis.bytes(this.keys.epoch())).map(RegistryRedis::string);
	}

	private List<String> userKeys(String user) {
		return List.of(this.keys.userConnections(user), this.keys.userInstances(user));
	}

	private List<String> roomKeys(String room) {
		return List.of(this.keys.roomMembers(room), this.keys.roomInstances(room));
	}

	/**
	 * A read of the epoch, shared by the operations that begin within
	 * {@link #EPOCH_REUSE} of it.
	 *
	 * @param readAt when it began, by {@link System#nanoTime()}
	 * @param epoch the epoch, empty when Redis has none
	 */
	private record EpochRead(long readAt, Mono<String> epoch) {

	}

	// A message kept in its stream's history, the instances to publish it to, and its
	// envelope with its position.
	private record Kept(StreamHistory.Position position, Set<String> instances, byte[] envelope) {

	}

}
