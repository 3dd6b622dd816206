package dev.switchboard.registry.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.StreamUtils;
import reactor.core.publisher.Mono;

/**
 * The Lua scripts, each prefixed with the key and channel names of {@link RedisKeys} and
 * the functions they share, and how to run them. The scripts named {@code spread-*} serve
 * the spread layout, where each script touches the slot of its first key only.
 */
final class RedisScripts {

	private static final String PRELUDE = RedisKeys.lua() + "\n" + read("common") + "\n";

	final RedisScript<Long> connect = load("connect", Long.class);

	final RedisScript<Long> disconnect = load("disconnect", Long.class);

	final RedisScript<Long> join = load("join", Long.class);

	final RedisScript<Long> leave = load("leave", Long.class);

	final RedisScript<Long> send = load("send", Long.class);

	final RedisScript<Long> leaveCluster = load("leave-cluster", Long.class);

	@SuppressWarnings("rawtypes")
	final RedisScript<List> query = load("query", List.class);

	@SuppressWarnings("rawtypes")
	final RedisScript<List> heartbeat = load("heartbeat", List.class);

	@SuppressWarnings("rawtypes")
	final RedisScript<List> reap = load("reap", List.class);

	@SuppressWarnings("rawtypes")
	final RedisScript<List> purge = load("purge", List.class);

	final RedisScript<Long> spreadConnectInstance = load("spread-connect-instance", Long.class);

	final RedisScript<Long> spreadConnectUser = load("spread-connect-user", Long.class);

	@SuppressWarnings("rawtypes")
	final RedisScript<List> spreadClose = load("spread-close", List.class);

	final RedisScript<Long> spreadRemoveUser = load("spread-remove-user", Long.class);

	final RedisScript<Long> spreadLeaveRoom = load("spread-leave-room", Long.class);

	final RedisScript<Long> spreadForget = load("spread-forget", Long.class);

	final RedisScript<Long> spreadJoinInstance = load("spread-join-instance", Long.class);

	final RedisScript<Long> spreadJoinRoom = load("spread-join-room", Long.class);

	final RedisScript<Long> spreadPurged = load("spread-purged", Long.class);

	final RedisScript<Long> spreadLeaveCluster = load("spread-leave-cluster", Long.class);

	@SuppressWarnings("rawtypes")
	final RedisScript<List> sendHistory = load("send-history", List.class);

	@SuppressWarnings("rawtypes")
	final RedisScript<List> spreadSendHistory = load("spread-send-history", List.class);

	@SuppressWarnings("rawtypes")
	final RedisScript<List> spreadBroadcastHistory = load("spread-broadcast-history", List.class);

	@SuppressWarnings("rawtypes")
	final RedisScript<List> historyAppend = load("history-append", List.class);

	@SuppressWarnings("rawtypes")
	final RedisScript<List> historyRead = load("history-read", List.class);

	// Its first line declares its flags: nothing may precede it.
	@SuppressWarnings("rawtypes")
	final RedisScript<List> spreadLookUpUsers = RedisScript.of(read("spread-lookup-users"), List.class);

	private final ReactiveRedisTemplate<byte[], byte[]> template;

	RedisScripts(ReactiveRedisTemplate<byte[], byte[]> template) {
		this.template = template;
	}

	/**
	 * Runs a script.
	 * @param <T> the result type
	 * @param script the script
	 * @param keyNames its keys: a Cluster runs it on the node that owns the first's slot
	 * @param args its arguments: byte arrays as they are, anything else as UTF-8 text
	 * @return the result
	 */
	<T> Mono<T> run(RedisScript<T> script, List<String> keyNames, Object... args) {
		List<byte[]> keys = keyNames.stream().map(RegistryRedis::bytes).toList();
		List<byte[]> arguments = new ArrayList<>(args.length);
		for (Object arg : args) {
			arguments.add((arg instanceof byte[] bytes) ? bytes : RegistryRedis.bytes(String.valueOf(arg)));
		}
		return this.template.execute(script, keys, arguments).next();
	}

	private static <T> RedisScript<T> load(String name, Class<T> type) {
		return RedisScript.of(PRELUDE + read(name), type);
	}

	private static String read(String name) {
		ClassPathResource resource = new ClassPathResource(name + ".lua", RedisScripts.class);
		try {
			return StreamUtils.copyToString(resource.getInputStream(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the Lua script " + resource, ex);
		}
	}

}
