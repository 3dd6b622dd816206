package dev.switchboard.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;

/**
 * A log of failures that a flood of the same failure cannot fill. The first failure of a
 * kind is logged; the same kind again within a minute is only counted, and the count is
 * logged with the next one after the minute. A failure is of the same kind when it comes
 * from the same place with an exception of the same type.
 *
 * @since 0.1.0
 */
public final class ThrottledLog {

	private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	// Kinds come from the code's call sites and exception types; the bound only guards
	// against a surprise.
	private static final int MAX_KINDS = 1024;

	private final Log log;

	private final LongSupplier nanoTime;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	/**
	 * Creates a throttled log.
	 * @param log where to log
	 */
	public ThrottledLog(Log log) {
		this(log, System::nanoTime);
	}

	// The clock is the tests' to set: a minute is too long to wait for.
	ThrottledLog(Log log, LongSupplier nanoTime) {
		this.log = log;
		this.nanoTime = nanoTime;
	}

	/**
	 * Logs a failure at ERROR with its stack trace, unless one of its kind was logged
	 * within the minute.
	 * @param where where it happened, part of its kind
	 * @param message the message
	 * @param ex the exception
	 */
	public void error(String where, Supplier<String> message, Throwable ex) {
		if (this.log.isErrorEnabled()) {
			String text = throttled(where, message, ex);
			if (text != null) {
				this.log.error(text, ex);
			}
		}
	}

	/**
	 * Logs an expected failure, such as a delivery that could not be made, at WARN with
	 * its message and no stack trace, unless one of its kind was logged within the
	 * minute.
	 * @param where where it happened, part of its kind
	 * @param message the message
	 * @param ex the exception
	 */
	public void warn(String where, Supplier<String> message, Throwable ex) {
		if (this.log.isWarnEnabled()) {
			String text = throttled(where, message, ex);
			if (text != null) {
				this.log.warn(text + ": " + ex.getMessage());
			}
		}
	}

	private String throttled(String where, Supplier<String> message, Throwable ex) {
		if (this.windows.size() > MAX_KINDS) {
			this.windows.clear();
		}
		Window window = this.windows.computeIfAbsent(where + "|" + ex.getClass().getName(), (kind) -> new Window());
		long now = this.nanoTime.getAsLong();
		int suppressed;
		synchronized (window) {
			if (window.logged && now - window.loggedAt < INTERVAL_NANOS) {
				window.suppressed++;
				return null;
			}
			suppressed = window.suppressed;
			window.logged = true;
			window.loggedAt = now;
			window.suppressed = 0;
		}
		String text = message.get();
		return (suppressed > 0) ? text + " (and " + suppressed + " more like it in the minute before, not logged)"
				: text;
	}

	private static final class Window {

		private boolean logged;

		private long loggedAt;

		private int suppressed;

	}

}
