package dev.switchboard.registry.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * This instance's access to Redis, which the registry, the bus and the instance lease
 * share: the template, key names, scripts, connection state and instance id, with
 * byte-level helpers.
 */
final class RegistryRedis {

	final ReactiveRedisConnectionFactory connectionFactory;

	final ReactiveRedisTemplate<byte[], byte[]> template;

	final RedisKeys keys;

	final RedisScripts scripts = new RedisScripts();

	final RedisConnectionState state;

	final String instanceId;

	RegistryRedis(ReactiveRedisConnectionFactory connectionFactory, RedisKeys keys, RedisConnectionState state,
			String instanceId) {
		this.connectionFactory = connectionFactory;
		this.template = new ReactiveRedisTemplate<>(connectionFactory, RedisSerializationContext.byteArray());
		this.keys = keys;
		this.state = state;
		this.instanceId = instanceId;
	}

	/**
	 * Runs a script whose first key is the instances set, as every script's is.
	 * @param <T> the result type
	 * @param script the script
	 * @param args its arguments: byte arrays as they are, anything else as UTF-8 text
	 * @return the result
	 */
	<T> Mono<T> run(RedisScript<T> script, Object... args) {
		return run(script, List.of(this.keys.instances()), args);
	}

	<T> Mono<T> run(RedisScript<T> script, List<String> keyNames, Object... args) {
		List<byte[]> keys = keyNames.stream().map(RegistryRedis::bytes).toList();
		List<byte[]> arguments = new ArrayList<>(args.length);
		for (Object arg : args) {
			arguments.add((arg instanceof byte[] bytes) ? bytes : bytes(String.valueOf(arg)));
		}
		return this.template.execute(script, keys, arguments).next();
	}

	/**
	 * The epoch this instance knows, for the scripts that check it.
	 * @return the epoch, empty before the first heartbeat
	 */
	String epoch() {
		String epoch = this.state.epoch();
		return (epoch != null) ? epoch : "";
	}

	/**
	 * Runs a query of {@code query.lua}, which answers only in the data set this instance
	 * registered in.
	 * @param query the query
	 * @param name the user or room it is about
	 * @return the answer; a {@link RegistryResyncingException} when Redis lost its data
	 */
	@SuppressWarnings("rawtypes")
	Mono<Object> query(String query, String name) {
		return run(this.scripts.query, this.keys.prefix(), epoch(), query, name).flatMap((result) -> {
			if (((Long) result.get(0)) == 0) {
				this.state.epochMismatch();
				return Mono.error(new RegistryResyncingException("answer a query"));
			}
			return Mono.just(result.get(1));
		});
	}

	Flux<java.util.Map.Entry<String, String>> hashEntries(String key) {
		return this.template.opsForHash()
			.entries(bytes(key))
			.map((entry) -> java.util.Map.entry(string(entry.getKey()), string(entry.getValue())));
	}

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	static String string(Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

}
