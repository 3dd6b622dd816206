package dev.switchboard.registry.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReactiveServerCommands;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Asks the Sentinels, through one connection kept open, which server is the master.
 * <p>
 * A failover asked for leaves the old master answering, as a master, until the Sentinels
 * next look at it and turn it into a replica, about ten seconds later: Lettuce reconnects
 * only when a connection breaks, so without this watch the instances would go on writing
 * to the old master, whose writes are then lost, while the new master serves the
 * applications that connect afresh. When the answer changes, the instance reconnects
 * through the Sentinels, to the new master.
 */
final class SentinelMasterWatch {

	private static final Log logger = LogFactory.getLog(SentinelMasterWatch.class);

	private static final Duration ANSWERS_WITHIN = Duration.ofMillis(250);

	private final LettuceConnectionFactory connectionFactory;

	private final String masterName;

	private final Duration timeout;

	private volatile @Nullable StatefulRedisSentinelConnection<String, String> connection;

	private volatile @Nullable String master;

	private SentinelMasterWatch(LettuceConnectionFactory connectionFactory, String masterName, Duration timeout) {
		this.connectionFactory = connectionFactory;
		this.masterName = masterName;
		this.timeout = timeout;
	}

	/**
	 * A watch for a connection factory that reaches Redis through Sentinels.
	 * @param connectionFactory the connection factory
	 * @param timeout the longest a Sentinel may take to answer
	 * @return the watch, {@code null} when the factory does not use Sentinels
	 */
	static @Nullable SentinelMasterWatch of(ReactiveRedisConnectionFactory connectionFactory, Duration timeout) {
		if (connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.isRedisSentinelAware()) {
			RedisSentinelConfiguration configuration = lettuce.getSentinelConfiguration();
			if (configuration != null && configuration.getMaster() != null) {
				return new SentinelMasterWatch(lettuce, configuration.getMaster().getName(), timeout);
			}
		}
		return null;
	}

	/**
	 * Asks a Sentinel for the master's address.
	 * @return the address before and after when it changed since the last answer, empty
	 * when it did not, or when no Sentinel answered
	 */
	Mono<Move> check() {
		return connection().flatMap((sentinel) -> sentinel.reactive().getMasterAddrByName(this.masterName))
			.timeout(this.timeout)
			.map(SentinelMasterWatch::address)
			.flatMap((address) -> {
				String before = this.master;
				this.master = address;
				return (before != null && !before.equals(address)) ? Mono.just(new Move(before, address))
						: Mono.<Move>empty();
			})
			.onErrorResume((ex) -> {
				logger.debug("Could not ask the Redis Sentinels for the master: " + RedisConnectionState.describe(ex));
				close();
				return Mono.empty();
			});
	}

	// Connecting blocks; Lettuce tries each Sentinel in turn.
	private Mono<StatefulRedisSentinelConnection<String, String>> connection() {
		StatefulRedisSentinelConnection<String, String> connection = this.connection;
		if (connection != null && connection.isOpen()) {
			return Mono.just(connection);
		}
		return Mono.fromCallable(() -> {
			if (!(this.connectionFactory.getNativeClient() instanceof RedisClient client)) {
				throw new IllegalStateException("no Lettuce client to reach the Sentinels");
			}
			StatefulRedisSentinelConnection<String, String> opened = client.connectSentinel();
			this.connection = opened;
			return opened;
		}).subscribeOn(Schedulers.boundedElastic());
	}

	private static String address(SocketAddress address) {
		return (address instanceof InetSocketAddress inet) ? inet.getHostString() + ":" + inet.getPort()
				: address.toString();
	}

	/**
	 * Whether a server accepts a connection within a quarter of a second.
	 * @param address the server's {@code host:port}
	 * @return whether it does
	 */
	static boolean answers(String address) {
		int colon = address.lastIndexOf(':');
		if (colon < 0) {
			return false;
		}
		try (Socket socket = new Socket()) {
			socket.connect(
					new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
					(int) ANSWERS_WITHIN.toMillis());
			return true;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Has the server close the connection that the template shares, which Lettuce then
	 * reconnects, through the Sentinels when it reaches Redis through them. The
	 * connection names itself, finds itself in the server's list of clients and asks the
	 * server to close it, after the reply: the commands sent after are replayed on the
	 * new connection.
	 * @param template a template on the shared connection
	 * @param name a name for the connection, unique to this instance
	 * @return completes once the server closed it; an error when the server refused
	 */
	static Mono<Void> closeSharedConnection(ReactiveRedisTemplate<byte[], byte[]> template, String name) {
		String unique = name + "-leaving-" + UUID.randomUUID();
		return template.execute((connection) -> {
			ReactiveServerCommands server = connection.serverCommands();
			return server.setClientName(unique)
				.thenMany(server.getClientList())
				.filter((client) -> unique.equals(client.getName()) && client.getAddressPort() != null)
				.next()
				.switchIfEmpty(Mono.error(() -> new IllegalStateException("not in the server's list of clients")))
				.flatMap((client) -> {
					String address = client.getAddressPort();
					int colon = address.lastIndexOf(':');
					return server.killClient(address.substring(0, colon),
							Integer.parseInt(address.substring(colon + 1)));
				});
		}).then();
	}

	/**
	 * Closes the connection to the Sentinel.
	 */
	void close() {
		StatefulRedisSentinelConnection<String, String> connection = this.connection;
		this.connection = null;
		if (connection != null) {
			connection.closeAsync();
		}
	}

	/**
	 * The master's address before and after a failover.
	 *
	 * @param from the old master
	 * @param to the new master
	 */
	record Move(String from, String to) {

	}

}
