package dev.switchboard.registry.redis;

import java.time.Duration;
import java.util.function.Function;

import io.lettuce.core.cluster.RedisClusterClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;

/**
 * Builds the Redis registry of one instance, which owns what shares its connection,
 * scripts and view of Redis's reachability: the message bus and the instance lease.
 *
 * @since 0.1.0
 */
public final class RedisRegistryFactory {

	private static final Log logger = LogFactory.getLog(RedisRegistryFactory.class);

	private RedisRegistryFactory() {
	}

	/**
	 * Builds a registry and its {@link RedisConnectionRegistry#messageBus() message bus}.
	 * @param connectionFactory the application's reactive Redis connection factory
	 * @param instanceId the id of this instance
	 * @param settings the settings
	 * @return the registry, a lifecycle that holds this instance's lease while it runs
	 */
	public static RedisConnectionRegistry create(ReactiveRedisConnectionFactory connectionFactory, String instanceId,
			Settings settings) {
		if (settings.commandTimeout().compareTo(settings.instanceTimeout().dividedBy(3)) >= 0) {
			throw new IllegalArgumentException("switchboard.redis.command-timeout (" + settings.commandTimeout()
					+ ") must be shorter than a third of switchboard.redis.instance-timeout ("
					+ settings.instanceTimeout() + "), the heartbeat interval");
		}
		if (settings.purgeBatchSize() <= 0) {
			throw new IllegalArgumentException(
					"switchboard.redis.purge-batch-size must be positive, not " + settings.purgeBatchSize());
		}
		if (settings.reconnectInterval().isNegative() || settings.reconnectInterval().isZero()) {
			throw new IllegalArgumentException(
					"switchboard.redis.reconnect-interval must be positive, not " + settings.reconnectInterval());
		}
		RedisConnectionState state = new RedisConnectionState(settings.commandTimeout(), resyncTime(settings));
		RegistryRedis redis = registryRedis(connectionFactory, settings, state, instanceId);
		logger.info("Switchboard's Redis registry uses the " + describe(redis));
		return new RedisConnectionRegistry(redis, new RedisMessageBus(redis), settings);
	}

	/**
	 * Access to Redis in the key layout and with the publish and subscribe that the
	 * settings and the server's topology call for.
	 * @param connectionFactory the connection factory
	 * @param settings the settings
	 * @param state the connection state
	 * @param instanceId the instance id
	 * @return the access
	 */
	static RegistryRedis registryRedis(ReactiveRedisConnectionFactory connectionFactory, Settings settings,
			RedisConnectionState state, String instanceId) {
		boolean cluster = RegistryRedis.isCluster(connectionFactory);
		RedisKeys.Layout layout = switch (settings.keyLayout()) {
			case AUTO -> cluster ? RedisKeys.Layout.SPREAD : RedisKeys.Layout.SINGLE_SLOT;
			case SINGLE_SLOT -> RedisKeys.Layout.SINGLE_SLOT;
			case SPREAD -> RedisKeys.Layout.SPREAD;
		};
		boolean sharded = switch (settings.pubSub()) {
			case AUTO -> cluster && layout == RedisKeys.Layout.SPREAD;
			case CLASSIC -> false;
			case SHARDED -> {
				if (!cluster) {
					throw new IllegalArgumentException("switchboard.redis.pub-sub=sharded needs a Redis Cluster "
							+ "(spring.data.redis.cluster.nodes); this Redis is not one");
				}
				if (layout != RedisKeys.Layout.SPREAD) {
					throw new IllegalArgumentException("switchboard.redis.pub-sub=sharded needs "
							+ "switchboard.redis.key-layout=spread: the single-slot layout's scripts publish themselves");
				}
				yield true;
			}
		};
		Function<ReactiveRedisTemplate<byte[], byte[]>, RegistryPubSub> pubSub = (template) -> sharded
				? new ShardedPubSub(clusterClient(connectionFactory)) : new ClassicPubSub(connectionFactory, template);
		return new RegistryRedis(connectionFactory, new RedisKeys(settings.keyPrefix(), layout), pubSub, state,
				instanceId);
	}

	private static RedisClusterClient clusterClient(ReactiveRedisConnectionFactory connectionFactory) {
		if (connectionFactory instanceof LettuceConnectionFactory lettuce
				&& lettuce.getNativeClient() instanceof RedisClusterClient client) {
			return client;
		}
		throw new IllegalStateException("Sharded pub/sub needs Lettuce's cluster client; the connection factory "
				+ connectionFactory + " has none (is it started?)");
	}

	static String describe(RegistryRedis redis) {
		return ((redis.keys.layout() == RedisKeys.Layout.SPREAD) ? "spread" : "single-slot") + " key layout with "
				+ ((redis.pubSub instanceof ClassicPubSub) ? "classic" : "sharded") + " pub/sub";
	}

	/**
	 * How long the instances take to register their connections again after Redis lost
	 * its data: they do at their next heartbeat or, if they had lost Redis, once they
	 * have reached it again.
	 * @param settings the settings
	 * @return a heartbeat interval or a reconnect interval, whichever is longer, and a
	 * command timeout
	 */
	static Duration resyncTime(Settings settings) {
		Duration heartbeatInterval = RedisInstanceLease.heartbeatInterval(settings.instanceTimeout());
		Duration longer = (heartbeatInterval.compareTo(settings.reconnectInterval()) >= 0) ? heartbeatInterval
				: settings.reconnectInterval();
		return longer.plus(settings.commandTimeout());
	}

	/**
	 * Settings of the Redis registry.
	 *
	 * @param keyPrefix prefix of the keys and channels
	 * @param instanceTimeout longest time between an instance's death and the start of
	 * its purge by the others
	 * @param commandTimeout time a Redis command may take
	 * @param reconnectInterval time between attempts to reach Redis while it is
	 * unreachable
	 * @param purgeBatchSize connections removed per script run during a purge
	 * @param keyLayout how the keys are laid out over a Cluster's slots
	 * @param pubSub how the instances publish to each other
	 */
	public record Settings(String keyPrefix, Duration instanceTimeout, Duration commandTimeout,
			Duration reconnectInterval, int purgeBatchSize, KeyLayout keyLayout, PubSub pubSub) {

		/**
		 * Settings with the key layout and publish and subscribe that the server's
		 * topology calls for.
		 * @param keyPrefix prefix of the keys and channels
		 * @param instanceTimeout longest time between an instance's death and the start
		 * of its purge by the others
		 * @param commandTimeout time a Redis command may take
		 * @param reconnectInterval time between attempts to reach Redis while it is
		 * unreachable
		 * @param purgeBatchSize connections removed per script run during a purge
		 */
		public Settings(String keyPrefix, Duration instanceTimeout, Duration commandTimeout, Duration reconnectInterval,
				int purgeBatchSize) {
			this(keyPrefix, instanceTimeout, commandTimeout, reconnectInterval, purgeBatchSize, KeyLayout.AUTO,
					PubSub.AUTO);
		}

	}

	/**
	 * How the registry's keys are laid out over a Redis Cluster's slots.
	 */
	public enum KeyLayout {

		/**
		 * Spread on a Redis Cluster, single-slot on any other Redis.
		 */
		AUTO,

		/**
		 * Every key in one slot, so that every operation is one script run: the layout of
		 * a single Redis, and of every Redis in earlier versions.
		 */
		SINGLE_SLOT,

		/**
		 * Keys tagged per instance, user and room, which spread over a Cluster's shards.
		 */
		SPREAD

	}

	/**
	 * How the instances publish to each other.
	 */
	public enum PubSub {

		/**
		 * Sharded on a Redis Cluster with the spread layout, classic otherwise.
		 */
		AUTO,

		/**
		 * {@code PUBLISH} and {@code SUBSCRIBE}: a Cluster copies every message to every
		 * node.
		 */
		CLASSIC,

		/**
		 * {@code SPUBLISH} and {@code SSUBSCRIBE} (Redis 7.0 or later, Cluster only):
		 * only the shard that owns a channel's slot carries its messages.
		 */
		SHARDED

	}

}
