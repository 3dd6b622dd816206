package dev.switchboard.registry.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.StreamUtils;

/**
 * The Lua scripts, each prefixed with the key and channel names of {@link RedisKeys} and
 * the functions they share.
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
