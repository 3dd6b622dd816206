package dev.switchboard.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a shutdown waits for: the publications subscribed before its drain began, not
 * those after; and what its timeout fails.
 */
class SendsInFlightTests {

	private final SendsInFlight sends = new SendsInFlight();

	@Test
	void drainsOnceThePublicationsSubscribedBeforeItHaveEnded() {
		Sinks.One<Integer> first = Sinks.one();
		Sinks.One<Integer> second = Sinks.one();
		CompletableFuture<Integer> firstSent = this.sends.track(first.asMono()).toFuture();
		CompletableFuture<Integer> secondSent = this.sends.track(second.asMono()).toFuture();
		CompletableFuture<Void> drained = this.sends.drained().toFuture();
		Sinks.One<Integer> later = Sinks.one();
		this.sends.track(later.asMono()).subscribe();
		first.tryEmitValue(1);
		assertThat(firstSent).isCompletedWithValue(1);
		assertThat(drained).isNotDone();
		second.tryEmitError(new IllegalStateException("bus down"));
		assertThat(secondSent).isCompletedExceptionally();
		assertThat(drained).isDone();
	}

	/**
	 * Sends subscribed on other threads while the drain begins: every one whose
	 * subscription was over before the drain began holds it up.
	 */
	@Test
	void missesNoSendSubscribedBeforeItBeganWhileOthersAreBeingSubscribed() throws Exception {
		for (int round = 0; round < 200; round++) {
			SendsInFlight sends = new SendsInFlight();
			List<Sinks.One<Integer>> entered = new CopyOnWriteArrayList<>();
			AtomicBoolean stop = new AtomicBoolean();
			List<Thread> threads = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				Thread thread = new Thread(() -> {
					while (!stop.get()) {
						Sinks.One<Integer> publish = Sinks.one();
						sends.track(publish.asMono()).subscribe();
						entered.add(publish);
					}
				});
				threads.add(thread);
				thread.start();
			}
			while (entered.size() < 2) {
				Thread.onSpinWait();
			}
			List<Sinks.One<Integer>> before = List.copyOf(entered);
			CompletableFuture<Void> drained = sends.drained().toFuture();
			stop.set(true);
			for (Thread thread : threads) {
				thread.join();
			}
			// All but the last of those subscribed before: the drain still waits.
			for (Sinks.One<Integer> publish : entered) {
				if (publish != before.get(before.size() - 1)) {
					publish.tryEmitValue(0);
				}
			}
			assertThat(drained).isNotDone();
			before.get(before.size() - 1).tryEmitValue(0);
			assertThat(drained).isDone();
		}
	}

	@Test
	void drainsAtOnceWhenNothingIsInFlightAndTracksNoResultKnownAlready() {
		Mono<Integer> known = Mono.just(0);
		assertThat(this.sends.track(known)).isSameAs(known);
		assertThat(this.sends.drained().toFuture()).isDone();
	}

	@Test
	void failsThePublicationsTheDrainWaitsForWhenTheTimeoutRunsOut() {
		Sinks.One<Integer> stuck = Sinks.one();
		CompletableFuture<Integer> stuckSent = this.sends.track(stuck.asMono()).toFuture();
		CompletableFuture<Void> drained = this.sends.drained().toFuture();
		Sinks.One<Integer> later = Sinks.one();
		CompletableFuture<Integer> laterSent = this.sends.track(later.asMono()).toFuture();
		assertThat(this.sends.abort(Duration.ofSeconds(10))).isEqualTo(1);
		assertThat(stuckSent).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(TimeoutException.class)
			.withMessage("still in flight when the shutdown timeout of PT10S ran out");
		assertThat(drained).isDone();
		assertThat(stuck.currentSubscriberCount()).isZero();
		assertThat(laterSent).isNotDone();
		later.tryEmitValue(2);
		assertThat(laterSent).isCompletedWithValue(2);
	}

	@Test
	void failsEveryPublicationInFlightWhenTheTimeoutRunsOutBeforeTheDrain() {
		Sinks.One<Integer> stuck = Sinks.one();
		CompletableFuture<Integer> stuckSent = this.sends.track(stuck.asMono()).toFuture();
		assertThat(this.sends.abort(Duration.ofSeconds(10))).isEqualTo(1);
		assertThat(stuckSent).isCompletedExceptionally();
		assertThat(this.sends.drained().toFuture()).isDone();
	}

}
