package dev.switchboard.registry.redis;

import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.ReactiveRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.registry.StreamHistory;

/**
 * The registry's commands in the single-slot layout: every operation is one script run, a
 * send included (one lookup and at most one publish, whatever the number of recipients).
 * Its scripts publish with classic {@code PUBLISH}.
 */
final class SingleSlotCommands implements RegistryCommands {

	private final ReactiveRedisTemplate<byte[], byte[]> template;

	private final RedisKeys keys;

	private final RedisScripts scripts;

	private final List<String> instances;

	private final List<String> leases;

	private final boolean countsReceivers;

	/**
	 * Creates the commands.
	 * @param template the template
	 * @param keys the keys, in the single-slot layout
	 * @param scripts the scripts
	 * @param countsReceivers whether a publish's count of receivers covers every
	 * subscriber of its channel: not on a Cluster, where it covers those of the node that
	 * ran it
	 */
	SingleSlotCommands(ReactiveRedisTemplate<byte[], byte[]> template, RedisKeys keys, RedisScripts scripts,
			boolean countsReceivers) {
		this.template = template;
		this.keys = keys;
		this.scripts = scripts;
		this.instances = List.of(keys.instances());
		this.leases = List.of(keys.instances(), keys.purging());
		this.countsReceivers = countsReceivers;
	}

	@Override
	public Mono<Long> connect(String instance, String connection, String socket, String user, int limit, long since,
			String remoteAddress) {
		return this.scripts.run(this.scripts.connect, this.instances, this.keys.prefix(), instance, connection, socket,
				user, limit, since, remoteAddress);
	}

	@Override
	public Mono<Long> disconnect(String instance, String connection) {
		return this.scripts.run(this.scripts.disconnect, this.instances, this.keys.prefix(), instance, connection);
	}

	@Override
	public Mono<Long> join(String instance, String connection, String room, String socket, String user) {
		return this.scripts.run(this.scripts.join, this.instances, this.keys.prefix(), instance, connection, room,
				socket, user);
	}

	@Override
	public Mono<Long> leave(String instance, String connection, String room) {
		return this.scripts.run(this.scripts.leave, this.instances, this.keys.prefix(), instance, connection, room);
	}

	@Override
	public Mono<Long> send(String origin, String kind, byte[] envelope, String epoch, List<String> names) {
		Object[] args = new Object[7 + names.size()];
		args[0] = this.keys.prefix();
		args[1] = this.keys.channelPrefix();
		args[2] = origin;
		args[3] = kind;
		args[4] = envelope;
		args[5] = epoch;
		args[6] = this.countsReceivers ? "1" : "0";
		for (int i = 0; i < names.size(); i++) {
			args[7 + i] = names.get(i);
		}
		return this.scripts.run(this.scripts.send, this.instances, args);
	}

	/**
	 * A send to a stream with history in one script run: the message gets the stream's
	 * next position, is published with it, and is kept in the history.
	 * @param origin this instance
	 * @param kind {@code u} a user, {@code r} a room, {@code s} a socket's broadcast
	 * @param envelope the encoded envelope
	 * @param epoch the registry's epoch this instance knows, empty to skip the check
	 * @param message the message kept in the history
	 * @param stream the stream
	 * @param limits how much history it keeps
	 * @param name the user, room or socket
	 * @return the instances it was published to, the epoch and the offset; {@code -1}
	 * alone when the data set changed, {@code -2} when no subscriber received it
	 */
	@SuppressWarnings("rawtypes")
	Mono<List> sendToStream(String origin, String kind, byte[] envelope, String epoch, byte[] message, String stream,
			StreamHistory.Limits limits, String name) {
		return this.scripts.run(this.scripts.sendHistory,
				List.of(this.instances.get(0), this.keys.history(stream), this.keys.historyPosition(stream)),
				this.keys.prefix(), this.keys.channelPrefix(), origin, kind, envelope, epoch,
				this.countsReceivers ? "1" : "0", message, limits.size(), RedisStreamHistory.age(limits),
				RedisStreamHistory.positionAge(limits), name);
	}

	@Override
	@SuppressWarnings("rawtypes")
	public Mono<List> query(String epoch, String query, String name) {
		return this.scripts.run(this.scripts.query, this.instances, this.keys.prefix(), epoch, query, name);
	}

	@Override
	@SuppressWarnings("rawtypes")
	public Mono<List> heartbeat(String instance, long lease, String candidate) {
		return this.scripts.run(this.scripts.heartbeat, this.leases, this.keys.prefix(), instance, lease, candidate);
	}

	@Override
	@SuppressWarnings("rawtypes")
	public Mono<List> reap(String instance, long claim, int limit) {
		return this.scripts.run(this.scripts.reap, this.leases, this.keys.prefix(), instance, claim, limit);
	}

	@Override
	@SuppressWarnings("rawtypes")
	public Mono<List> purge(String instance, int batch, long claim, boolean renewClaim) {
		return this.scripts.run(this.scripts.purge, List.of(this.keys.purging()), this.keys.prefix(), instance, batch,
				claim, renewClaim ? "1" : "0");
	}

	@Override
	public Mono<Long> leaveCluster(String instance, long claim) {
		return this.scripts.run(this.scripts.leaveCluster, this.leases, this.keys.prefix(), instance, claim);
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

}
