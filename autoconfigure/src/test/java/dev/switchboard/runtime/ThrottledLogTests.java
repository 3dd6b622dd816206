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
				"A.b() failed (and 2 more like it in the minute before, not logged)");
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

}
