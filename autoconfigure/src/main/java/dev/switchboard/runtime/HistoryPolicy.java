package dev.switchboard.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.switchboard.registry.Destination;
import dev.switchboard.registry.InMemoryStreamHistory;
import dev.switchboard.registry.StreamHistory;
import dev.switchboard.registry.StreamHistory.Limits;
import dev.switchboard.registry.StreamHistory.Position;
import dev.switchboard.registry.StreamHistory.Read;

/**
 * Which streams keep a history, and where: the rules of
 * {@code switchboard.history.streams}, first match wins, and the history they are kept
 * in. A stream is a room ({@code room:lobby}), a user ({@code user:ann}) or a socket's
 * broadcast ({@code socket:chat}).
 *
 * @since 0.2.0
 */
public final class HistoryPolicy {

	/**
	 * No stream keeps a history.
	 */
	public static final HistoryPolicy NONE = new HistoryPolicy(null, List.of());

	// The streams' names begin with their kind (see docs/recovery.md).
	private static final String ROOM_STREAM = "room:";

	private static final String USER_STREAM = "user:";

	private static final String SOCKET_STREAM = "socket:";

	private final @Nullable StreamHistory history;

	private final List<Rule> rules;

	private final List<Pattern> patterns;

	// The reads in flight, shared by the connections that ask for the same one.
	private final Map<ReadKey, Mono<Read>> reads = new ConcurrentHashMap<>();

	/**
	 * A policy.
	 * @param history where the histories are kept
	 * @param rules the rules, first match wins
	 */
	public HistoryPolicy(@Nullable StreamHistory history, List<Rule> rules) {
		for (Rule rule : rules) {
			if (!rule.pattern().matches("(room|user|socket):.+")) {
				throw new IllegalArgumentException("switchboard.history.streams pattern '" + rule.pattern()
						+ "' must begin with 'room:', 'user:' or 'socket:' and name something after it");
			}
			if (rule.limits().size() < 1 || rule.limits().age().toMillis() < 1) {
				throw new IllegalArgumentException("switchboard.history.streams '" + rule.pattern()
						+ "' must keep at least one message for at least a millisecond");
			}
		}
		this.history = (rules.isEmpty()) ? null : history;
		this.rules = List.copyOf(rules);
		this.patterns = rules.stream().map((rule) -> glob(rule.pattern())).toList();
	}

	private static Pattern glob(String pattern) {
		StringBuilder regex = new StringBuilder();
		for (String part : pattern.split("\\*", -1)) {
			if (!regex.isEmpty()) {
				regex.append(".*");
			}
			regex.append(Pattern.quote(part));
		}
		return Pattern.compile(regex.toString(), Pattern.DOTALL);
	}

	boolean isEmpty() {
		return this.history == null;
	}

	StreamHistory history() {
		if (this.history == null) {
			throw new IllegalStateException("No stream keeps a history");
		}
		return this.history;
	}

	/**
	 * Reads a stream's history after a position, once for every connection of this
	 * instance that asks at the same time: a gap in what reaches the instance shows in
	 * every connection that follows the stream, which then ask for the same messages.
	 * @param stream the stream
	 * @param after the position, or {@code null} for only the current one
	 * @return the read
	 */
	Mono<Read> read(Stream stream, @Nullable Position after) {
		if (history() instanceof InMemoryStreamHistory) {
			// It answers at once, on the caller's thread, which holds its connection's
			// cursors: sharing the read would run other connections' callbacks there.
			return history().read(stream.name(), after, stream.limits());
		}
		ReadKey key = new ReadKey(stream.name(), after);
		Mono<Read> read = this.reads.computeIfAbsent(key,
				(asked) -> history().read(stream.name(), after, stream.limits())
					.doFinally((signal) -> this.reads.remove(asked))
					.cache());
		return read;
	}

	/**
	 * The stream a send goes to, when it keeps a history: a send to one room, one user or
	 * a socket.
	 * @param destination the send's destination
	 * @return the stream, or {@code null}
	 */
	@Nullable Stream streamOf(Destination destination) {
		if (this.history == null || destination.names().size() != 1) {
			return null;
		}
		String kind = switch (destination.type()) {
			case ROOM -> ROOM_STREAM;
			case USER -> USER_STREAM;
			case SOCKET -> SOCKET_STREAM;
			case CONNECTION -> null;
		};
		return (kind != null) ? stream(kind + destination.names().get(0)) : null;
	}

	/**
	 * A stream by name, when it keeps a history.
	 * @param name the stream's name
	 * @return the stream, or {@code null}
	 */
	@Nullable Stream stream(String name) {
		if (this.history == null) {
			return null;
		}
		for (int i = 0; i < this.patterns.size(); i++) {
			if (this.patterns.get(i).matcher(name).matches()) {
				return new Stream(name, this.rules.get(i).limits());
			}
		}
		return null;
	}

	/**
	 * The stream of a room.
	 * @param room the room
	 * @return the stream's name
	 */
	static String room(String room) {
		return ROOM_STREAM + room;
	}

	/**
	 * The room of a stream.
	 * @param stream the stream's name
	 * @return the room, or {@code null} when the stream is not a room's
	 */
	static @Nullable String roomOf(String stream) {
		return stream.startsWith(ROOM_STREAM) ? stream.substring(ROOM_STREAM.length()) : null;
	}

	/**
	 * The streams with history that a connection follows: its rooms, its user's and its
	 * socket's.
	 * @param connection the connection
	 * @return the streams' names
	 */
	List<String> followed(NettySocketConnection connection) {
		List<String> names = new ArrayList<>();
		connection.rooms().forEach((room) -> names.add(room(room)));
		if (connection.user() != null) {
			names.add(USER_STREAM + connection.user());
		}
		names.add(SOCKET_STREAM + connection.socket());
		return names.stream().filter((name) -> stream(name) != null).toList();
	}

	/**
	 * A rule of {@code switchboard.history.streams}.
	 *
	 * @param pattern the names it applies to, {@code *} standing for any characters
	 * @param limits how much history they keep
	 */
	public record Rule(String pattern, Limits limits) {

	}

	private record ReadKey(String stream, @Nullable Position after) {

	}

	/**
	 * A stream that keeps a history.
	 *
	 * @param name its name
	 * @param limits how much history it keeps
	 */
	record Stream(String name, Limits limits) {

	}

}
