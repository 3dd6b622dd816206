package dev.switchboard.autoconfigure;

import java.util.Comparator;
import java.util.TreeSet;

import reactor.core.publisher.Mono;

import dev.switchboard.ConnectionInfo;
import dev.switchboard.registry.redis.RedisConnectionRegistry;

/**
 * The {@code switchboard} endpoint's view of the cluster with the Redis registry: each
 * answer is one script run in Redis.
 */
final class RedisEndpointRegistry implements SwitchboardEndpoint.Registry {

	private final RedisConnectionRegistry registry;

	RedisEndpointRegistry(RedisConnectionRegistry registry) {
		this.registry = registry;
	}

	@Override
	public String name() {
		return "redis";
	}

	@Override
	public Mono<SwitchboardEndpoint.Cluster> cluster() {
		return this.registry.overview()
			.map((overview) -> new SwitchboardEndpoint.Cluster(overview.connectionsBySocket(),
					overview.instances()
						.stream()
						.sorted(Comparator.comparing(RedisConnectionRegistry.Lease::instance))
						.map((lease) -> new SwitchboardEndpoint.InstanceView(lease.instance(), lease.age().toString(),
								lease.expiresIn().toString()))
						.toList(),
					overview.rooms(), overview.onlineUsers()));
	}

	@Override
	public Mono<SwitchboardEndpoint.ConnectionView> connection(String id) {
		return this.registry.connection(id).map((registered) -> {
			ConnectionInfo connection = registered.connection();
			return new SwitchboardEndpoint.ConnectionView(connection.id(), connection.socket(), connection.user(),
					connection.instance(), new TreeSet<>(registered.rooms()), registered.connectedAt().toString(),
					registered.remoteAddress());
		});
	}

}
