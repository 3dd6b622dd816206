package dev.switchboard.registry.redis;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the registry, the lease and the emitter ask of Redis, in the terms of the key
 * layout: one script run per operation in the {@link SingleSlotCommands single-slot}
 * layout, a script run per slot concerned in the {@link SpreadCommands spread} one. Both
 * answer alike.
 */
interface RegistryCommands {

	/**
	 * Registers a connection.
	 * @param instance its instance
	 * @param connection its id
	 * @param socket its socket
	 * @param user its user, empty when anonymous
	 * @param limit the most connections a user may have, 0 for no limit
	 * @param since when it connected (ms)
	 * @param remoteAddress its remote address, empty when unknown
	 * @return 1 when its user came online, 0 when registered, -1 over the limit, -2 when
	 * the instance holds no lease
	 */
	Mono<Long> connect(String instance, String connection, String socket, String user, int limit, long since,
			String remoteAddress);

	/**
	 * Unregisters a connection, with its rooms.
	 * @param instance its instance
	 * @param connection its id
	 * @return 1 when its user went offline, else 0
	 */
	Mono<Long> disconnect(String instance, String connection);

	/**
	 * Adds a registered connection to a room.
	 * @param instance its instance
	 * @param connection its id
	 * @param room the room
	 * @param socket its socket
	 * @param user its user, empty when anonymous
	 * @return 1 when added, 0 when already a member, -1 when it is not registered
	 */
	Mono<Long> join(String instance, String connection, String room, String socket, String user);

	/**
	 * Removes a connection from a room.
	 * @param instance its instance
	 * @param connection its id
	 * @param room the room
	 * @return 1 when removed, else 0
	 */
	Mono<Long> leave(String instance, String connection, String room);

	/**
	 * Looks up the other instances that hold recipients and publishes an envelope to
	 * them.
	 * @param origin the sending instance, which is not published to
	 * @param kind {@code u} users, {@code r} a room, {@code c} a connection
	 * @param envelope the encoded envelope
	 * @param epoch the epoch the sender knows, empty when it knows none
	 * @param names the users, the room or the connection id
	 * @return the number of instances published to, -1 without publishing when the epoch
	 * differs, -2 when an instance published to had no subscriber
	 */
	Mono<Long> send(String origin, String kind, byte[] envelope, String epoch, List<String> names);

	/**
	 * Answers a query of the registry.
	 * @param epoch the epoch the caller knows, empty when it knows none
	 * @param query {@code online}, {@code users}, {@code connections}, {@code members},
	 * {@code instances}, {@code overview} or {@code connection}, answered as
	 * {@code query.lua} documents
	 * @param name the user, room or connection id it is about
	 * @return {@code {0}} when the epoch differs, else {@code {1, answer}}
	 */
	@SuppressWarnings("rawtypes")
	Mono<List> query(String epoch, String query, String name);

	/**
	 * Renews an instance's lease.
	 * @param instance the instance
	 * @param lease the lease time (ms)
	 * @param candidate the epoch to set when Redis has none
	 * @return {@code {status, epoch}} as {@code heartbeat.lua} documents
	 */
	@SuppressWarnings("rawtypes")
	Mono<List> heartbeat(String instance, long lease, String candidate);

	/**
	 * Claims dead instances to purge.
	 * @param instance the claiming instance
	 * @param claim how long a claim lasts (ms)
	 * @param limit the most instances to claim
	 * @return the claimed instances
	 */
	@SuppressWarnings("rawtypes")
	Mono<List> reap(String instance, long claim, int limit);

	/**
	 * Removes a batch of a claimed instance's connections.
	 * @param instance the instance
	 * @param batch the batch size
	 * @param claim how long a renewed claim lasts (ms)
	 * @param renewClaim whether to renew the claim while connections remain
	 * @return {@code {remaining, user1, connection1, ...}} for the users that went
	 * offline
	 */
	@SuppressWarnings("rawtypes")
	Mono<List> purge(String instance, int batch, long claim, boolean renewClaim);

	/**
	 * Gives up an instance's lease at shutdown, leaving its connections claimed by it.
	 * @param instance the instance
	 * @param claim how long the claim lasts (ms)
	 * @return the number of connections still registered for it
	 */
	Mono<Long> leaveCluster(String instance, long claim);

	/**
	 * An instance's connections as registered.
	 * @param instance the instance
	 * @return connection id and index entry, for each
	 */
	Flux<Map.Entry<String, String>> instanceConnections(String instance);

	/**
	 * A connection's rooms as registered.
	 * @param connection the connection id
	 * @return its rooms
	 */
	Flux<String> connectionRooms(String connection);

	/**
	 * Counts a user's connections, without checking the epoch.
	 * @param user the user
	 * @return the count
	 */
	Mono<Long> countConnections(String user);

	/**
	 * Reads the epoch.
	 * @return the epoch, empty when Redis has none
	 */
	Mono<String> epoch();

}
