package dev.switchboard.registry.redis;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * This instance's access to Redis, which the registry, the bus and the instance lease
 * share: the template, key names, the commands of the key layout, publish and subscribe,
 * connection state and instance id, with byte-level helpers.
 */
final class RegistryRedis {

	final ReactiveRedisConnectionFactory connectionFactory;

	final ReactiveRedisTemplate<byte[], byte[]> template;

	final RedisKeys keys;

	final RegistryPubSub pubSub;

	final RegistryCommands commands;

	final RedisScripts scripts;

	final RedisConnectionState state;

	final String instanceId;

	RegistryRedis(ReactiveRedisConnectionFactory connectionFactory, RedisKeys keys,
			Function<ReactiveRedisTemplate<byte[], byte[]>, RegistryPubSub> pubSub, RedisConnectionState state,
			String instanceId) {
		this.connectionFactory = connectionFactory;
		this.template = new ReactiveRedisTemplate<>(connectionFactory, RedisSerializationContext.byteArray());
		this.keys = keys;
		this.pubSub = pubSub.apply(this.template);
		RedisScripts scripts = new RedisScripts(this.template);
		this.scripts = scripts;
		// On a Cluster, a classic publish counts the subscribers of one node.
		boolean countsReceivers = !(isCluster(connectionFactory) && this.pubSub instanceof ClassicPubSub);
		this.commands = (keys.layout() == RedisKeys.Layout.SPREAD) ? new SpreadCommands(this.template, keys, scripts,
				this.pubSub, nodeOf(connectionFactory), countsReceivers)
				: new SingleSlotCommands(this.template, keys, scripts, countsReceivers);
		this.state = state;
		this.instanceId = instanceId;
	}

	static boolean isCluster(ReactiveRedisConnectionFactory connectionFactory) {
		return connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware();
	}

	// The node that owns a key's slot on a Cluster, as Lettuce last saw the topology.
	private static Function<String, String> nodeOf(ReactiveRedisConnectionFactory connectionFactory) {
		if (isCluster(connectionFactory) && connectionFactory instanceof LettuceConnectionFactory lettuce) {
			return (key) -> {
				if (lettuce.getNativeClient() instanceof RedisClusterClient client) {
					RedisClusterNode node = client.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
					if (node != null) {
						return node.getNodeId();
					}
				}
				return "slot " + SlotHash.getSlot(key);
			};
		}
		return (key) -> "";
	}

	/**
	 * The epoch this instance knows, for the commands that check it.
	 * @return the epoch, empty before the first heartbeat
	 */
	String epoch() {
		String epoch = this.state.epoch();
		return (epoch != null) ? epoch : "";
	}

	/**
	 * Runs a query that answers only in the data set this instance registered in.
	 * @param query the query
	 * @param name the user or room it is about
	 * @return the answer; a {@link RegistryResyncingException} when Redis lost its data
	 */
	Mono<Object> query(String query, String name) {
		return this.commands.query(epoch(), query, name).flatMap((result) -> {
			if (((Long) result.get(0)) == 0) {
				this.state.epochMismatch();
				return Mono.error(new RegistryResyncingException("answer a query"));
			}
			return Mono.just(result.get(1));
		});
	}

	static Flux<Map.Entry<String, String>> hashEntries(ReactiveRedisTemplate<byte[], byte[]> template, String key) {
		return template.opsForHash()
			.entries(bytes(key))
			.map((entry) -> Map.entry(string(entry.getKey()), string(entry.getValue())));
	}

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	static String string(Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

}
