package dev.switchboard.registry.redis;

import java.time.Duration;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * Builds the Redis registry, bus and instance membership of one instance, which share
 * their connection, scripts and view of Redis's reachability.
 *
 * @since 0.1.0
 */
public final class RedisCluster {

	private final RedisConnectionRegistry registry;

	private final RedisMessageBus bus;

	private final RedisInstance instance;

	/**
	 * Creates the parts.
	 * @param connectionFactory the application's reactive Redis connection factory
	 * @param instanceId the id of this instance
	 * @param settings the settings
	 */
	public RedisCluster(ReactiveRedisConnectionFactory connectionFactory, String instanceId, Settings settings) {
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
		// After a data loss, the other instances register again at their next heartbeat,
		// or, if they had lost Redis, once they have reached it again.
		Duration heartbeatInterval = RedisInstance.heartbeatInterval(settings.instanceTimeout());
		Duration resyncTime = ((heartbeatInterval.compareTo(settings.reconnectInterval()) >= 0) ? heartbeatInterval
				: settings.reconnectInterval())
			.plus(settings.commandTimeout());
		RedisConnectionState state = new RedisConnectionState(settings.commandTimeout(), resyncTime);
		RedisOperations redis = new RedisOperations(connectionFactory, new RedisKeys(settings.keyPrefix()), state,
				instanceId);
		RedisInstance[] instance = new RedisInstance[1];
		this.registry = new RedisConnectionRegistry(redis, () -> instance[0].leaseLost());
		this.bus = new RedisMessageBus(redis, connectionFactory);
		this.instance = new RedisInstance(redis, this.registry, this.bus, settings.instanceTimeout(),
				settings.reconnectInterval(), settings.purgeBatchSize());
		instance[0] = this.instance;
	}

	/**
	 * The registry.
	 * @return the registry
	 */
	public RedisConnectionRegistry registry() {
		return this.registry;
	}

	/**
	 * The message bus.
	 * @return the bus
	 */
	public RedisMessageBus bus() {
		return this.bus;
	}

	/**
	 * This instance's membership of the cluster, a lifecycle bean.
	 * @return the membership
	 */
	public RedisInstance instance() {
		return this.instance;
	}

	/**
	 * Settings of the Redis registry.
	 *
	 * @param keyPrefix prefix of the keys and channels
	 * @param instanceTimeout time within which a dead instance is purged
	 * @param commandTimeout time a Redis command may take
	 * @param reconnectInterval time between attempts to reach Redis while it is
	 * unreachable
	 * @param purgeBatchSize connections removed per script run during a purge
	 */
	public record Settings(String keyPrefix, Duration instanceTimeout, Duration commandTimeout,
			Duration reconnectInterval, int purgeBatchSize) {

	}

}
