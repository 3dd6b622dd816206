package dev.switchboard.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * A log that a flood of the same event cannot fill. The first lines of a kind in an
 * interval are logged (one a minute by default); more of the same kind within the
 * interval are only counted, and the count is logged with the next line of that kind
 * after it. A failure is of the same kind when it comes from the same place with an
 * exception of the same type; other events name their kind.
 *
 * @since 0.1.0
 */
public final class ThrottledLog {

	private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

	// Kinds come from the code's call sites and exception types; the bound only guards
	// against a surprise.
	private static final int MAX_KINDS = 1024;

	private final Log log;

	private final int linesPerInterval;

	private final long intervalNanos;

	private final LongSupplier nanoTime;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	/**
	 * Creates a throttled log of one line of a kind a minute.
	 * @param log where to log
	 */
	public ThrottledLog(Log log) {
		this(log, 1, MINUTE_NANOS, System::nanoTime);
	}

	/**
	 * Creates a throttled log.
	 * @param log where to log
	 * @param linesPerInterval lines of one kind logged per interval
	 * @param interval the interval
	 */
	public ThrottledLog(Log log, int linesPerInterval, Duration interval) {
		this(log, linesPerInterval, interval.toNanos(), System::nanoTime);
	}

	// The clock is the tests' to set: a minute is too long to wait for.
	ThrottledLog(Log log, LongSupplier nanoTime) {
		this(log, 1, MINUTE_NANOS, nanoTime);
	}

	ThrottledLog(Log log, int linesPerInterval, long intervalNanos, LongSupplier nanoTime) {
		this.log = log;
		this.linesPerInterval = Math.max(1, linesPerInterval);
		this.intervalNanos = intervalNanos;
		this.nanoTime = nanoTime;
	}

	/**
	 * The log this one writes to, for callers that check its level first.
	 * @return the log
	 */
	public Log log() {
		return this.log;
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
			String text = throttled(kind(where, ex), message);
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
			String text = throttled(kind(where, ex), message);
			if (text != null) {
				this.log.warn(text + ": " + ex.getMessage());
			}
		}
	}

	/**
	 * Logs an event at INFO, unless the lines of its kind in the interval are used up.
	 * @param kind the kind of event, from a set the code bounds (never a value a client
	 * chooses)
	 * @param message the message
	 * @return {@code false} when INFO is on but the line was not logged
	 */
	public boolean info(String kind, Supplier<String> message) {
		if (!this.log.isInfoEnabled()) {
			return true;
		}
		String text = throttled(kind, message);
		if (text == null) {
			return false;
		}
		this.log.info(text);
		return true;
	}

	private static String kind(String where, Throwable ex) {
		return where + "|" + ex.getClass().getName();
	}

	private @Nullable String throttled(String kind, Supplier<String> message) {
		if (this.windows.size() > MAX_KINDS) {
			this.windows.clear();
		}
		Window window = this.windows.computeIfAbsent(kind, (key) -> new Window());
		long now = this.nanoTime.getAsLong();
		int suppressed;
		synchronized (window) {
			if (!window.started || now - window.startedAt >= this.intervalNanos) {
				window.started = true;
				window.startedAt = now;
				window.logged = 0;
			}
			if (window.logged >= this.linesPerInterval) {
				window.suppressed++;
				return null;
			}
			window.logged++;
			suppressed = window.suppressed;
			window.suppressed = 0;
		}
		String text = message.get();
		return (suppressed > 0) ? text + " (and " + suppressed + " more like it since the last line, not logged)"
				: text;
	}

	/**
	 * The lines of one kind in the current interval.
	 */
	private static final class Window {

		private boolean started;

		private long startedAt;

		private int logged;

		private int suppressed;

	}

}
