package dev.switchboard.runtime;

import java.time.Duration;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The publications to the other instances that have not ended yet, which the shutdown
 * waits for before the instance leaves the cluster, and fails once its timeout is over.
 * <p>
 * Lock-free, as a send may not wait on another: a send enters a concurrent skip list when
 * its publication is subscribed and leaves it when that ends. A drain begins a new
 * generation and waits for the sends of the ones before, which it sees in the list once
 * they have entered. A send that enters while a drain begins checks the generation again
 * after entering, and counts in the new one if it changed: the drain may not have seen
 * it, and must not fail it at its timeout either. A publication whose result is known at
 * once ({@code Mono.just}, as the in-memory bus answers) is not tracked.
 */
final class SendsInFlight {

	private final ConcurrentSkipListSet<Send> sends = new ConcurrentSkipListSet<>();

	private volatile int generation;

	private volatile @Nullable Drain drain;

	/**
	 * Tracks a publication from its subscription to its end.
	 * @param <T> what the publication gives
	 * @param publish the publication
	 * @return the tracked publication, which fails with a {@link TimeoutException} if
	 * {@link #abort(Duration)} finds it still running
	 */
	<T> Mono<T> track(Mono<T> publish) {
		if (publish instanceof Fuseable.ScalarCallable) {
			return publish;
		}
		return Mono.defer(() -> {
			Send send = enter();
			return Mono.firstWithSignal(publish, send.<T>aborted()).doFinally((signal) -> leave(send));
		});
	}

	private Send enter() {
		while (true) {
			int generation = this.generation;
			Send send = new Send(generation, ThreadLocalRandom.current().nextLong());
			// Two sends with the same key: take another.
			if (!this.sends.add(send)) {
				continue;
			}
			if (this.generation == generation) {
				return send;
			}
			// A drain began meanwhile and may not have seen this send: it counts in the
			// new generation, which the drain neither waits for nor fails.
			leave(send);
		}
	}

	private void leave(Send send) {
		this.sends.remove(send);
		Drain drain = this.drain;
		if (drain != null) {
			drain.check();
		}
	}

	/**
	 * Waits for the publications subscribed so far; those subscribed later are not waited
	 * for.
	 * @return completes once they have all ended
	 */
	Mono<Void> drained() {
		return Mono.defer(() -> {
			Drain drain = new Drain(this.generation);
			this.drain = drain;
			this.generation = drain.generation + 1;
			drain.check();
			return drain.done.asMono();
		});
	}

	/**
	 * Fails the publications still running that the drain waits for, or, before any
	 * drain, every one still running.
	 * @param timeout the shutdown timeout that ran out, for the message
	 * @return how many were failed
	 */
	int abort(Duration timeout) {
		Drain drain = this.drain;
		Send limit = new Send(((drain != null) ? drain.generation : this.generation) + 1, Long.MIN_VALUE);
		int aborted = 0;
		for (Send send : this.sends.headSet(limit)) {
			if (send.abort(timeout)) {
				aborted++;
			}
		}
		return aborted;
	}

	/**
	 * Forgets the drain, when the server starts again.
	 */
	void reset() {
		this.drain = null;
	}

	/**
	 * A publication in flight.
	 */
	private static final class Send implements Comparable<Send> {

		private final int generation;

		private final long key;

		private final Sinks.Empty<Void> abort = Sinks.unsafe().empty();

		Send(int generation, long key) {
			this.generation = generation;
			this.key = key;
		}

		// It ends with an error or nothing, never a value: any type will do.
		@SuppressWarnings("unchecked")
		<T> Mono<T> aborted() {
			return (Mono<T>) this.abort.asMono();
		}

		boolean abort(Duration timeout) {
			return this.abort
				.tryEmitError(
						new TimeoutException("still in flight when the shutdown timeout of " + timeout + " ran out"))
				.isSuccess();
		}

		@Override
		public int compareTo(Send other) {
			int byGeneration = Integer.compare(this.generation, other.generation);
			return (byGeneration != 0) ? byGeneration : Long.compare(this.key, other.key);
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof Send send && compareTo(send) == 0;
		}

		@Override
		public int hashCode() {
			return Long.hashCode(this.key);
		}

	}

	/**
	 * A wait for the sends of the generations up to one.
	 */
	private final class Drain {

		private final int generation;

		private final Send limit;

		private final Sinks.Empty<Void> done = Sinks.empty();

		Drain(int generation) {
			this.generation = generation;
			this.limit = new Send(generation + 1, Long.MIN_VALUE);
		}

		void check() {
			if (SendsInFlight.this.sends.lower(this.limit) == null) {
				this.done.tryEmitEmpty();
			}
		}

	}

}
