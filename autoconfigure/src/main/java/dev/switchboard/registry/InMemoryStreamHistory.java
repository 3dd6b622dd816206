package dev.switchboard.registry;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The history of a single instance: a ring of messages per stream, which does not survive
 * the instance. Its epoch is the time the instance first wrote to the stream, so that a
 * client's position from an earlier run of the instance is told apart.
 *
 * @since 0.2.0
 */
public final class InMemoryStreamHistory implements StreamHistory {

	private final Map<String, Ring> rings = new ConcurrentHashMap<>();

	private final Clock clock;

	/**
	 * A history on the system clock.
	 */
	public InMemoryStreamHistory() {
		this(Clock.systemUTC());
	}

	/**
	 * A history on a clock, which tells the age of its messages.
	 * @param clock the clock
	 */
	public InMemoryStreamHistory(Clock clock) {
		this.clock = clock;
	}

	@Override
	public Mono<Position> append(String stream, Limits limits, byte[] message) {
		return Mono.fromSupplier(() -> this.rings
			.computeIfAbsent(stream, (name) -> new Ring(Long.toString(this.clock.millis() * 1000 + epochSuffix())))
			.append(message, limits, this.clock.millis()));
	}

	@Override
	public Mono<Read> read(String stream, @Nullable Position after, Limits limits) {
		return Mono.fromSupplier(() -> {
			Ring ring = this.rings.get(stream);
			if (ring == null) {
				boolean complete = after == null || after.equals(Position.NONE);
				return new Read(Position.NONE, complete, List.of());
			}
			return ring.read(after, limits, this.clock.millis());
		});
	}

	// Two streams created in the same millisecond still get different epochs.
	private static long epochSuffix() {
		return System.nanoTime() % 1000;
	}

	private static final class Ring {

		private final String epoch;

		private final ArrayDeque<Kept> kept = new ArrayDeque<>();

		private long offset;

		Ring(String epoch) {
			this.epoch = epoch;
		}

		synchronized Position append(byte[] message, Limits limits, long now) {
			this.offset++;
			this.kept.addLast(new Kept(this.offset, now, message));
			trim(limits, now);
			return new Position(this.epoch, this.offset);
		}

		synchronized Read read(@Nullable Position after, Limits limits, long now) {
			trim(limits, now);
			Position top = new Position(this.epoch, this.offset);
			if (after == null) {
				return new Read(top, true, List.of());
			}
			boolean sameEpoch = after.epoch().equals(this.epoch) || after.equals(Position.NONE);
			long missed = this.offset - after.offset();
			if (!sameEpoch || missed < 0) {
				return new Read(top, false, List.of());
			}
			if (missed == 0) {
				return new Read(top, true, List.of());
			}
			Kept oldest = this.kept.peekFirst();
			if (oldest == null || oldest.offset() > after.offset() + 1) {
				return new Read(top, false, List.of());
			}
			List<Entry> entries = new ArrayList<>((int) missed);
			for (Kept message : this.kept) {
				if (message.offset() > after.offset()) {
					entries.add(new Entry(message.offset(), message.message()));
				}
			}
			return new Read(top, true, entries);
		}

		private void trim(Limits limits, long now) {
			long oldestKept = now - limits.age().toMillis();
			while (!this.kept.isEmpty()
					&& (this.kept.size() > limits.size() || this.kept.peekFirst().at() < oldestKept)) {
				this.kept.removeFirst();
			}
		}

	}

	private record Kept(long offset, long at, byte[] message) {

	}

}
