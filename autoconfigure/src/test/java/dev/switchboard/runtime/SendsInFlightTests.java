package dev.switchboard.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

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
