package dev.switchboard.runtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.Mockito;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottledLogTests {

	private final AtomicLong now = new AtomicLong();

	private final Log target = Mockito.mock(Log.class);

	private final ThrottledLog log = new ThrottledLog(this.target, this.now::get);

	ThrottledLogTests() {
		Mockito.when(this.target.isErrorEnabled()).thenReturn(true);
		Mockito.when(this.target.isWarnEnabled()).thenReturn(true);
	}

	@Test
	void logsAFailureThatRepeatsOnceAMinuteWithTheCountOfThoseInBetween() {
		IllegalStateException failure = new IllegalStateException("store down");
		this.log.error("Handler method A.b()", () -> "A.b() failed", failure);
		this.now.addAndGet(TimeUnit.SECONDS.toNanos(20));
		this.log.error("Handler method A.b()", () -> "A.b() failed", failure);
		this.now.addAndGet(TimeUnit.SECONDS.toNanos(39));
		this.log.error("Handler method A.b()", () -> "A.b() failed", failure);
		this.now.addAndGet(TimeUnit.SECONDS.toNanos(2));
		this.log.error("Handler method A.b()", () -> "A.b() failed", failure);
		ArgumentCaptor<Object> messages = ArgumentCaptor.forClass(Object.class);
		Mockito.verify(this.target, Mockito.times(2)).error(messages.capture(), Mockito.same(failure));
		assertThat(messages.getAllValues()).containsExactly("A.b() failed",
				"A.b() failed (and 2 more like it since the last line, not logged)");
	}

	@Test
	void logsEachPlaceAndExceptionTypeOnItsOwn() {
		this.log.error("Handler method A.b()", () -> "A.b() failed", new IllegalStateException());
		this.log.error("Handler method A.b()", () -> "A.b() failed again", new IllegalArgumentException());
		this.log.error("Handler method A.c()", () -> "A.c() failed", new IllegalStateException());
		Mockito.verify(this.target, Mockito.times(3)).error(Mockito.any(), Mockito.any(Throwable.class));
	}

	@Test
	void logsADeliveryFailureAtWarnWithoutItsStackTrace() {
		this.log.warn("send", () -> "Could not deliver", new IllegalStateException("Redis is unreachable"));
		Mockito.verify(this.target).warn("Could not deliver: Redis is unreachable");
		Mockito.verify(this.target, Mockito.never()).warn(Mockito.any(), Mockito.any(Throwable.class));
	}

	@Test
	void logsTheFirstLinesOfAKindInEachIntervalAndTheCountOfTheOthersWithTheNextOne() {
		Log info = Mockito.mock(Log.class);
		Mockito.when(info.isInfoEnabled()).thenReturn(true);
		ThrottledLog log = new ThrottledLog(info, 3, TimeUnit.SECONDS.toNanos(10), this.now::get);
		for (int i = 1; i <= 20; i++) {
			int n = i;
			boolean logged = log.info("handshake 403", () -> "refused " + n);
			assertThat(logged).as("line %d", i).isEqualTo(i <= 3);
			this.now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
		}
		log.info("handshake 401", () -> "another reason");
		this.now.addAndGet(TimeUnit.SECONDS.toNanos(10));
		log.info("handshake 403", () -> "refused 21");
		ArgumentCaptor<Object> lines = ArgumentCaptor.forClass(Object.class);
		Mockito.verify(info, Mockito.times(5)).info(lines.capture());
		assertThat(lines.getAllValues()).containsExactly("refused 1", "refused 2", "refused 3", "another reason",
				"refused 21 (and 17 more like it since the last line, not logged)");
	}

	@Test
	void buildsNoLineWhenInfoIsOff() {
		Log quiet = Mockito.mock(Log.class);
		ThrottledLog log = new ThrottledLog(quiet, 3, TimeUnit.SECONDS.toNanos(10), this.now::get);
		assertThat(log.info("kind", () -> {
			throw new AssertionError("built a line nobody logs");
		})).isTrue();
		Mockito.verify(quiet, Mockito.never()).info(Mockito.any());
	}

}
