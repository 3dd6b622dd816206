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
 * What the registry, the bus and the instance share: the template, key names, scripts and
 * the link, with byte-level helpers.
 */
final class RedisOperations {

	final ReactiveRedisTemplate<byte[], byte[]> template;

	final RedisKeys keys;

	final RedisScripts scripts = new RedisScripts();

	final RedisLink link;

	final String instance;

	RedisOperations(ReactiveRedisConnectionFactory connectionFactory, RedisKeys keys, RedisLink link, String instance) {
		this.template = new ReactiveRedisTemplate<>(connectionFactory, RedisSerializationContext.byteArray());
		this.keys = keys;
		this.link = link;
		this.instance = instance;
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
		List<byte[]> keys = keyNames.stream().map(RedisOperations::bytes).toList();
		List<byte[]> arguments = new ArrayList<>(args.length);
		for (Object arg : args) {
			arguments.add((arg instanceof byte[] bytes) ? bytes : bytes(String.valueOf(arg)));
		}
		return this.template.execute(script, keys, arguments).next();
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
