package dev.switchboard.registry.redis;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.switchboard.registry.StreamHistory;

/**
 * The history in Redis, which every instance shares: one Redis Stream per stream, trimmed
 * by count and age, and a hash with its epoch and last offset. An append is one script
 * run; so is a read. In the spread layout a room's or a user's history shares the hash
 * tag of the room's or user's keys (a send keeps it in the script that looks its
 * recipients up, see {@code SpreadCommands#sendToStream}), so that histories spread over
 * a Cluster's shards; a socket's shares the slot of the shared channel, which carries its
 * broadcasts (see {@code SpreadCommands#broadcastToStream}).
 */
public final class RedisStreamHistory implements StreamHistory {

	private final RegistryRedis redis;

	RedisStreamHistory(RegistryRedis redis) {
		this.redis = redis;
	}

	@Override
	public Mono<Position> append(String stream, Limits limits, byte[] message) {
		// Refused at once, as the send's publish would be, while Redis is down or the
		// registry is rebuilt: a send that fails leaves nothing in the history.
		return this.redis.state
			.read(this.redis.scripts.run(this.redis.scripts.historyAppend, appendKeys(stream), message, limits.size(),
					age(limits), positionAge(limits), this.redis.epoch()), "append to a stream's history")
			.flatMap((result) -> (result.size() == 1)
					? Mono.error(new RegistryResyncingException("append to a stream's history"))
					: Mono.just(new Position(RegistryRedis.string(result.get(0)), number(result.get(1)))));
	}

	@Override
	public Mono<Read> read(String stream, @Nullable Position after, Limits limits) {
		String epoch = (after != null) ? after.epoch() : "";
		long offset = (after != null) ? after.offset() : 0;
		String topOnly = (after != null) ? "0" : "1";
		return this.redis.state
			.write(this.redis.scripts.run(this.redis.scripts.historyRead, keys(stream), epoch, offset, age(limits),
					topOnly), "read a stream's history")
			.map(RedisStreamHistory::read);
	}

	// In the single-slot layout the append checks the registry's epoch, as a send does;
	// in the spread layout that key is on another shard.
	private List<String> appendKeys(String stream) {
		if (this.redis.keys.layout() == RedisKeys.Layout.SPREAD) {
			return keys(stream);
		}
		return List.of(this.redis.keys.history(stream), this.redis.keys.historyPosition(stream),
				this.redis.keys.epoch());
	}

	private List<String> keys(String stream) {
		return List.of(this.redis.keys.history(stream), this.redis.keys.historyPosition(stream));
	}

	@SuppressWarnings("rawtypes")
	private static Read read(List result) {
		Position top = new Position(RegistryRedis.string(result.get(0)), number(result.get(1)));
		boolean complete = number(result.get(2)) == 1;
		List<Entry> entries = new ArrayList<>(result.size() - 3);
		for (int i = 3; i < result.size(); i++) {
			entries.add(new Entry(top.offset() - (result.size() - 1 - i), (byte[]) result.get(i)));
		}
		return new Read(top, complete, entries);
	}

	static long number(Object value) {
		return (value instanceof Number number) ? number.longValue() : Long.parseLong(RegistryRedis.string(value));
	}

	static long age(Limits limits) {
		return Math.max(1, limits.age().toMillis());
	}

	// The position outlives the messages, so that a client that saw the last one is told
	// that it missed nothing, however long ago that was: a day, or the age if longer.
	static long positionAge(Limits limits) {
		return Math.max(age(limits), POSITION_KEPT_MILLIS);
	}

	private static final long POSITION_KEPT_MILLIS = 24 * 60 * 60 * 1000L;

}
