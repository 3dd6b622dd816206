package dev.switchboard.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;
import tools.jackson.databind.JsonNode;

import dev.switchboard.handler.support.OutboundMessage;
import dev.switchboard.registry.StreamHistory.Entry;
import dev.switchboard.registry.StreamHistory.Position;
import dev.switchboard.registry.StreamHistory.Read;

/**
 * Where a connection that recovers is in each stream with history it follows, so that it
 * gets every message once, in order, with no gap: what it missed while away, sent before
 * the live messages; and a gap in what reaches this instance (a resubscription, a Redis
 * blip), filled from the history before the messages after it.
 * <p>
 * A stream is live once in sync: a message right after the last one is sent, one at or
 * before it is a duplicate and dropped, one further on shows a gap. While the history is
 * read (before the connection has opened, after it joins a room, on a gap) the live
 * messages of the stream are held, and sent after what the read found.
 */
final class StreamCursors {

	private static final Log logger = LogFactory.getLog(StreamCursors.class);

	static final CloseStatus HISTORY_UNAVAILABLE = new CloseStatus(1013, "history unavailable, reconnect");

	// Live messages held while a stream's history is read, at most: a read that takes so
	// long that this many arrive ends the connection, which recovers when it comes back.
	private static final int MOST_HELD = 10_000;

	// Streams a client may name when it connects.
	private static final int MOST_ASKED = 1000;

	/**
	 * The query parameter in which a client names the last positions it saw.
	 */
	static final String RECOVER_PARAMETER = "switchboard-recover";

	// A position of no epoch a history has: one that cannot be recovered.
	private static final Position UNKNOWN = new Position("!", 0);

	// What wrapping a message adds to it, about.
	private static final int WRAPPER_SIZE = 100;

	private final NettySocketConnection connection;

	private final HistoryPolicy policy;

	// The positions the client named when it connected, each used by the first sync of
	// its stream.
	private final Map<String, Position> asked;

	private final Map<String, Cursor> cursors = new HashMap<>();

	private boolean started;

	// Whether the client named its positions in a way that could not be read: then every
	// stream is answered as one whose position the history cannot reach back to.
	private boolean askedBadly;

	// Bytes of missed messages sent at once at most: half the outbound buffer.
	private final long mostRecovered;

	// The answer to a recover parameter that was not one, sent once the connection
	// opened.
	private @Nullable OutboundMessage complaint;

	StreamCursors(NettySocketConnection connection, HistoryPolicy policy, Map<String, Position> asked,
			long outboundBufferSize) {
		this.connection = connection;
		this.policy = policy;
		this.asked = new HashMap<>(asked);
		this.mostRecovered = outboundBufferSize / 2;
	}

	/**
	 * The cursors of a connection, with the positions its client named in the
	 * {@value #RECOVER_PARAMETER} query parameter: a JSON object of positions by stream,
	 * such as {@code {"room:lobby":{"epoch":"1733341234123456","offset":12}}}. A value
	 * that is not one is answered with a {@code bad-request} error once the connection is
	 * open, and every stream as one that cannot be recovered.
	 * @param connection the connection
	 * @param policy the streams with history
	 * @param parameter the query parameter's value, or {@code null}
	 * @param outboundBufferSize the bytes that may wait to be written to the connection
	 * @return the cursors
	 */
	static StreamCursors of(NettySocketConnection connection, HistoryPolicy policy, @Nullable String parameter,
			long outboundBufferSize) {
		if (parameter == null || parameter.isEmpty()) {
			return new StreamCursors(connection, policy, Map.of(), outboundBufferSize);
		}
		try {
			return new StreamCursors(connection, policy, positions(parameter), outboundBufferSize);
		}
		catch (RuntimeException ex) {
			StreamCursors cursors = new StreamCursors(connection, policy, Map.of(), outboundBufferSize);
			cursors.askedBadly = true;
			cursors.complaint = OutboundMessage.text("{\"error\":\"" + RECOVER_PARAMETER
					+ " must be a JSON object of positions by stream, each with an epoch and an offset\","
					+ "\"code\":\"bad-request\"}");
			return cursors;
		}
	}

	private static Map<String, Position> positions(String parameter) {
		JsonNode positions = StampedMessage.json.readTree(parameter);
		if (!positions.isObject() || positions.size() > MOST_ASKED) {
			throw new IllegalArgumentException("not an object of at most " + MOST_ASKED + " positions");
		}
		Map<String, Position> asked = new HashMap<>();
		for (Map.Entry<String, JsonNode> entry : positions.properties()) {
			JsonNode epoch = entry.getValue().get("epoch");
			JsonNode offset = entry.getValue().get("offset");
			// An entry that is not a position stands for one the history cannot reach
			// back
			// to: the client is told that it cannot recover the stream.
			if (epoch == null || !epoch.isString() || offset == null || !offset.canConvertToLong()
					|| offset.asLong() < 0) {
				asked.put(entry.getKey(), UNKNOWN);
				continue;
			}
			asked.put(entry.getKey(), new Position(epoch.asString(), offset.asLong()));
		}
		return asked;
	}

	/**
	 * Delivers a message of a stream the connection follows.
	 * @param message the message
	 */
	synchronized void deliver(StampedMessage message) {
		Cursor cursor = this.cursors.get(message.stream());
		if (cursor == null) {
			if (this.started && !follows(message.stream())) {
				// Sent before the connection left the room, delivered after.
				return;
			}
			cursor = new Cursor();
			this.cursors.put(message.stream(), cursor);
			cursor.held.add(message);
			if (this.started) {
				sync(message.stream(), cursor, asked(message.stream()), false);
			}
			return;
		}
		live(message.stream(), cursor, message);
	}

	/**
	 * Moves past a message of a stream the connection follows that a send left it out of,
	 * without sending it.
	 * @param message the message
	 */
	synchronized void skip(StampedMessage message) {
		Cursor cursor = this.cursors.get(message.stream());
		if (cursor != null) {
			live(message.stream(), cursor, message.skipped());
		}
	}

	/**
	 * Syncs the streams the connection follows once it has opened: those its
	 * {@code @OnConnect} joined, its user's and its socket's.
	 * @param streams the streams
	 */
	synchronized void start(List<String> streams) {
		this.started = true;
		if (this.complaint != null) {
			this.connection.offer(this.complaint);
		}
		for (String stream : streams) {
			this.cursors.computeIfAbsent(stream, (name) -> new Cursor());
		}
		this.cursors.forEach((stream, cursor) -> {
			if (cursor.held != null) {
				sync(stream, cursor, asked(stream), false);
			}
		});
	}

	/**
	 * Syncs a stream the connection began to follow after it opened: a room it joined.
	 * @param stream the stream
	 */
	synchronized void follow(String stream) {
		if (!this.started || this.cursors.containsKey(stream)) {
			return;
		}
		Cursor cursor = new Cursor();
		this.cursors.put(stream, cursor);
		sync(stream, cursor, asked(stream), false);
	}

	/**
	 * Forgets a stream the connection no longer follows: a room it left.
	 * @param stream the stream
	 */
	synchronized void forget(String stream) {
		this.cursors.remove(stream);
	}

	private void live(String stream, Cursor cursor, StampedMessage message) {
		List<StampedMessage> held = cursor.held;
		if (held != null) {
			held.add(message);
			if (held.size() > MOST_HELD) {
				this.connection.close(HISTORY_UNAVAILABLE, false);
			}
			return;
		}
		Position last = cursor.last;
		Position position = message.position();
		if (last == null || last.epoch().isEmpty()) {
			last = new Position(position.epoch(), (last != null) ? 0 : position.offset() - 1);
		}
		if (!last.epoch().equals(position.epoch())) {
			// The history was lost (Redis lost its data, or the stream's position
			// expired): what came before this message cannot be recovered.
			Position before = new Position(position.epoch(), position.offset() - 1);
			cursor.last = before;
			this.connection.offer(StampedMessage.recovered(stream, before, false));
			last = before;
		}
		if (position.offset() <= last.offset()) {
			return;
		}
		if (position.offset() > last.offset() + 1) {
			cursor.last = last;
			cursor.held = new ArrayList<>(List.of(message));
			sync(stream, cursor, last, true);
			return;
		}
		cursor.last = position;
		if (!message.isSkipped()) {
			this.connection.offer(message.wrapped());
		}
	}

	// The position the client named for a stream, used once; one that was not a position
	// stands for one the history cannot reach back to.
	private @Nullable Position asked(String stream) {
		Position asked = this.asked.remove(stream);
		return (asked == null && this.askedBadly) ? UNKNOWN : asked;
	}

	// Reads what came after a position, or only the current position when there is
	// none; the cursor holds the live messages meanwhile. A gap's read is the last try to
	// place the messages it holds.
	private void sync(String stream, Cursor cursor, @Nullable Position after, boolean gap) {
		if (cursor.held == null) {
			cursor.held = new ArrayList<>();
		}
		HistoryPolicy.Stream kept = this.policy.stream(stream);
		if (kept == null) {
			// No history to read (the instances disagree on the streams): the messages go
			// out as they came.
			for (StampedMessage message : cursor.held) {
				cursor.last = message.position();
				if (!message.isSkipped()) {
					this.connection.offer(message.wrapped());
				}
			}
			cursor.held = null;
			return;
		}
		this.policy.read(kept, after)
			.subscribe((read) -> synced(stream, cursor, after, gap, read), (ex) -> failed(stream, ex));
	}

	private synchronized void synced(String stream, Cursor cursor, @Nullable Position after, boolean gap, Read read) {
		List<StampedMessage> held = cursor.held;
		if (this.cursors.get(stream) != cursor || held == null) {
			return;
		}
		cursor.held = null;
		held.sort(Comparator.comparingLong(StampedMessage::offset));
		StampedMessage first = held.isEmpty() ? null : held.get(0);
		Position last = read.top();
		boolean recovered = after == null || read.complete();
		if (after == null && first != null && first.position().epoch().equals(last.epoch())
				&& first.offset() <= last.offset()) {
			// Nothing to recover, but the messages held reached the connection after it
			// began to follow the stream: they are sent, and what came between them.
			last = new Position(last.epoch(), first.offset() - 1);
		}
		else if (after != null && read.complete()) {
			recovered = sendMissed(stream, read);
		}
		if (first != null && !follows(first, last) && (gap || last.epoch().isEmpty())) {
			// The history cannot place the first message held (it no longer holds what
			// came
			// before it, or has no position): what is missing is lost, not read again.
			recovered = false;
			last = new Position(first.position().epoch(), first.offset() - 1);
		}
		cursor.last = last;
		this.connection.offer(StampedMessage.recovered(stream, last, recovered));
		for (StampedMessage message : held) {
			live(stream, cursor, message);
		}
	}

	// Sends what the client missed, unless it is more than the connection may hold: then
	// it is told that it cannot recover, rather than closed for a full buffer again on
	// every
	// reconnect.
	private boolean sendMissed(String stream, Read read) {
		long size = 0;
		for (Entry entry : read.entries()) {
			size += entry.message().length + WRAPPER_SIZE;
		}
		if (size > this.mostRecovered) {
			return false;
		}
		for (Entry entry : read.entries()) {
			this.connection
				.offer(new StampedMessage(stream, new Position(read.top().epoch(), entry.offset()), entry.message())
					.wrapped());
		}
		return true;
	}

	private boolean follows(String stream) {
		String room = HistoryPolicy.roomOf(stream);
		return room == null || this.connection.rooms().contains(room);
	}

	private static boolean follows(StampedMessage message, Position last) {
		return message.position().epoch().equals(last.epoch()) && message.offset() <= last.offset() + 1;
	}

	private void failed(String stream, Throwable ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("Could not read the history of " + stream + " for connection " + this.connection.id()
					+ ", which is closed to recover when it reconnects: " + ex.getMessage());
		}
		this.connection.close(HISTORY_UNAVAILABLE, false);
	}

	private static final class Cursor {

		// The position of the last message sent, null before the first sync.
		@Nullable Position last;

		// The live messages that wait for a read of the history; null when live. A new
		// cursor waits for its first sync.
		@Nullable List<StampedMessage> held = new ArrayList<>();

		Cursor() {
		}

	}

}
