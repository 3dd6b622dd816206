package dev.switchboard.registry.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;

class InOrderReleaseTests {

	private final InOrderRelease inOrder = new InOrderRelease();

	private final List<String> released = new CopyOnWriteArrayList<>();

	@Test
	void anOperationWhoseStepIsDoneWaitsForTheOnesThatArrivedBeforeIt() {
		Sinks.One<String> slowRead = Sinks.one();
		this.inOrder.after(slowRead.asMono()).subscribe((value) -> this.released.add("first:" + value));
		this.inOrder.after(slowRead.asMono()).subscribe((value) -> this.released.add("second:" + value));
		// A later operation whose own step is already done: it must not overtake them.
		this.inOrder.after(Mono.just("cached")).subscribe((value) -> this.released.add("third:" + value));
		assertThat(this.released).isEmpty();
		slowRead.tryEmitValue("read");
		assertThat(this.released).containsExactly("first:read", "second:read", "third:cached");
		// With nothing ahead of it, an operation whose step is done goes on at once.
		this.inOrder.after(Mono.just("now")).subscribe((value) -> this.released.add("fourth:" + value));
		assertThat(this.released).endsWith("fourth:now");
	}

	@Test
	void passesErrorsAndEmptyStepsOnInOrder() {
		Sinks.One<String> failing = Sinks.one();
		this.inOrder.after(failing.asMono()).subscribe(null, (ex) -> this.released.add("failed:" + ex.getMessage()));
		this.inOrder.after(Mono.<String>empty()).doOnSuccess((value) -> this.released.add("empty")).subscribe();
		failing.tryEmitError(new IllegalStateException("down"));
		assertThat(this.released).containsExactly("failed:down", "empty");
	}

	@Test
	void anOperationCancelledByItsTimeoutNoLongerHoldsUpTheOnesBehindIt() {
		Sinks.One<String> hung = Sinks.one();
		Disposable first = this.inOrder.after(hung.asMono())
			.timeout(Duration.ofDays(1))
			.subscribe((value) -> this.released.add("first"));
		this.inOrder.after(Mono.just("x")).subscribe((value) -> this.released.add("second"));
		assertThat(this.released).isEmpty();
		first.dispose();
		assertThat(this.released).containsExactly("second");
		hung.tryEmitValue("late");
		assertThat(this.released).containsExactly("second");
	}

}
