package dev.switchboard.registry;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The bounded history of the streams that keep one: the messages sent to a room, a user
 * or a socket, each at a position (an epoch and an offset that grows by one per message),
 * so that a client can be sent what it missed. The in-memory history does not survive the
 * instance; the Redis one is shared by every instance.
 *
 * @since 0.2.0
 */
public interface StreamHistory {

	/**
	 * Appends a message to a stream's history, before it is delivered anywhere.
	 * @param stream the stream, such as {@code room:lobby}
	 * @param limits how much history the stream keeps
	 * @param message the message's text, UTF-8
	 * @return the message's position; an error when the history is unreachable
	 */
	Mono<Position> append(String stream, Limits limits, byte[] message);

	/**
	 * The messages of a stream after a position, oldest first.
	 * @param stream the stream
	 * @param after the last position a client saw, or {@code null} for none: then only
	 * the stream's current position is read
	 * @param limits how much history the stream keeps
	 * @return the messages after the position, or that the history no longer reaches back
	 * to it
	 */
	Mono<Read> read(String stream, @Nullable Position after, Limits limits);

	/**
	 * How much history a stream keeps.
	 *
	 * @param size how many messages at most
	 * @param age how long a message is kept at most
	 */
	record Limits(int size, Duration age) {

	}

	/**
	 * Where a message is in a stream. The offset counts the messages of one epoch; a new
	 * epoch begins when the history is lost (Redis lost its data, the in-memory history's
	 * instance restarted) or the stream's position expired.
	 *
	 * @param epoch the epoch, empty for a stream that has had no message yet
	 * @param offset the message's offset in the epoch, from 1; 0 before the first
	 */
	record Position(String epoch, long offset) {

		/**
		 * The position of a stream that has had no message.
		 */
		public static final Position NONE = new Position("", 0);

	}

	/**
	 * A message of a stream's history.
	 *
	 * @param offset its offset
	 * @param message its text, UTF-8
	 */
	record Entry(long offset, byte[] message) {

	}

	/**
	 * What a read found.
	 *
	 * @param top the stream's current position
	 * @param complete whether the entries are all the messages after the position asked
	 * for; {@code false} when the history no longer reaches back to it (trimmed by its
	 * limits, or of another epoch)
	 * @param entries the messages after the position asked for, oldest first; empty when
	 * not complete
	 */
	record Read(Position top, boolean complete, List<Entry> entries) {

	}

}
