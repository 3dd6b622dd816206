package dev.switchboard.registry.redis;

import java.util.ArrayDeque;
import java.util.Deque;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Lets operations go on in the order they arrived, each once a step of its own is done.
 * On a Cluster a send's step, the lookup of its recipients' instances and a read of the
 * epoch that several sends share, completes on the thread of whichever node answers:
 * without this, a send whose step was done first would be published first, ahead of a
 * send of the same sender that came before it. An operation that is cancelled (by its
 * timeout) no longer holds up the ones behind it.
 */
final class InOrderRelease {

	private final Deque<Waiter<?>> waiting = new ArrayDeque<>();

	// Guarded by this: one thread releases at a time, in order.
	private boolean releasing;

	/**
	 * Goes on with the step's outcome once it, and every operation that arrived before,
	 * are done.
	 * @param <T> the step's value
	 * @param step the step
	 * @return the step's outcome, in order
	 */
	<T> Mono<T> after(Mono<T> step) {
		return Mono.create((sink) -> {
			Waiter<T> waiter = new Waiter<>(sink);
			synchronized (this) {
				this.waiting.add(waiter);
			}
			sink.onCancel(() -> {
				waiter.cancelled = true;
				waiter.done = true;
				release();
			});
			step.subscribe((value) -> waiter.value = value, (ex) -> {
				waiter.error = ex;
				waiter.done = true;
				release();
			}, () -> {
				waiter.done = true;
				release();
			});
		});
	}

	private void release() {
		while (true) {
			Waiter<?> head;
			synchronized (this) {
				head = this.waiting.peek();
				if (this.releasing || head == null || !head.done) {
					return;
				}
				this.waiting.poll();
				this.releasing = true;
			}
			try {
				head.signal();
			}
			finally {
				synchronized (this) {
					this.releasing = false;
				}
			}
		}
	}

	private static final class Waiter<T> {

		private final MonoSink<T> sink;

		private volatile @Nullable T value;

		private volatile @Nullable Throwable error;

		private volatile boolean done;

		private volatile boolean cancelled;

		Waiter(MonoSink<T> sink) {
			this.sink = sink;
		}

		void signal() {
			if (this.cancelled) {
				return;
			}
			Throwable error = this.error;
			T value = this.value;
			if (error != null) {
				this.sink.error(error);
			}
			else if (value != null) {
				this.sink.success(value);
			}
			else {
				this.sink.success();
			}
		}

	}

}
