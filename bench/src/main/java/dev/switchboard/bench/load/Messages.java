package dev.switchboard.bench.load;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * The messages the load generator sends: JSON objects routed by {@code type}, carrying
 * their send time {@code t} (the generator's {@link System#nanoTime()}), padded to a
 * size.
 */
final class Messages {

	/**
	 * What marks a probe, which only checks that a STOMP subscription is in place.
	 */
	static final String PROBE = "\"type\":\"probe\"";

	private static final String PAD = "x".repeat(1 << 16);

	/**
	 * The first number of this generator's messages: later than any earlier run's, so
	 * that what a server still sends of an earlier run is told apart.
	 */
	static final long FIRST_SEQUENCE = System.currentTimeMillis() * 1000;

	private static final byte[] TIME = "\"t\":".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] SEQUENCE = "\"seq\":".getBytes(StandardCharsets.US_ASCII);

	// Where the fields are looked for: a STOMP frame's headers come first.
	private static final int SEARCHED = 512;

	private static long sequence = FIRST_SEQUENCE;

	private Messages() {
	}

	/**
	 * An echo request.
	 * @param size its size in bytes
	 * @param t its send time
	 * @param stomp whether it goes in a STOMP SEND frame
	 * @return the message
	 */
	static String echo(int size, long t, boolean stomp) {
		String json = json("echo", next(), t, size);
		return stomp ? "SEND\ndestination:/app/echo\ncontent-type:text/plain\n\n" + json + "\0" : json;
	}

	/**
	 * A probe, echoed but not measured.
	 * @return the probe, in a STOMP SEND frame
	 */
	static String probe() {
		return "SEND\ndestination:/app/echo\ncontent-type:text/plain\n\n{\"type\":\"probe\"}\0";
	}

	/**
	 * A message to publish to many.
	 * @param size its size in bytes
	 * @param seq its number
	 * @param t its send time
	 * @return the message
	 */
	static String published(int size, long seq, long t) {
		return json("publish", seq, t, size);
	}

	private static synchronized long next() {
		return sequence++;
	}

	private static String json(String type, long seq, long t, int size) {
		String head = "{\"type\":\"" + type + "\",\"seq\":" + seq + ",\"t\":" + t + ",\"pad\":\"";
		int pad = Math.max(0, size - head.length() - 2);
		return head + PAD.substring(0, pad) + "\"}";
	}

	/**
	 * The send time a message carries.
	 * @param message the message, JSON or a STOMP frame holding it
	 * @return the time, or -1 when it carries none
	 */
	static long time(ByteBuf message) {
		return number(message, TIME);
	}

	/**
	 * The number a message carries.
	 * @param message the message
	 * @return the number, or -1
	 */
	static long sequence(ByteBuf message) {
		return number(message, SEQUENCE);
	}

	private static long number(ByteBuf message, byte[] field) {
		int start = message.readerIndex();
		int end = Math.min(message.writerIndex(), start + SEARCHED) - field.length;
		for (int at = start; at <= end; at++) {
			if (matches(message, at, field)) {
				return digits(message, at + field.length);
			}
		}
		return -1;
	}

	private static boolean matches(ByteBuf message, int at, byte[] field) {
		for (int i = 0; i < field.length; i++) {
			if (message.getByte(at + i) != field[i]) {
				return false;
			}
		}
		return true;
	}

	private static long digits(ByteBuf message, int from) {
		long value = 0;
		int i = from;
		boolean negative = i < message.writerIndex() && message.getByte(i) == '-';
		if (negative) {
			i++;
		}
		for (; i < message.writerIndex(); i++) {
			byte c = message.getByte(i);
			if (c < '0' || c > '9') {
				break;
			}
			value = value * 10 + (c - '0');
		}
		return negative ? -value : value;
	}

}
