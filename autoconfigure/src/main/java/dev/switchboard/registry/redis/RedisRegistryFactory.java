package dev.switchboard.registry.redis;

import java.time.Duration;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * Builds the Redis registry of one instance, which owns what shares its connection,
 * scripts and view of Redis's reachability: the message bus and the instance lease.
 *
 * @since 0.1.0
 */
public final class RedisRegistryFactory {

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
		RegistryRedis redis = new RegistryRedis(connectionFactory, new RedisKeys(settings.keyPrefix()), state,
				instanceId);
		return new RedisConnectionRegistry(redis, new RedisMessageBus(redis, connectionFactory), settings);
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
	 */
	public record Settings(String keyPrefix, Duration instanceTimeout, Duration commandTimeout,
			Duration reconnectInterval, int purgeBatchSize) {

	}

}
