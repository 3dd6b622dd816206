package dev.switchboard.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;

/**
 * Waits for a condition that becomes true on its own, such as a registry catching up.
 *
 * @since 0.1.0
 */
public final class Await {

	/**
	 * How long a test waits for an event before it fails.
	 */
	public static final Duration TIMEOUT = Duration.ofSeconds(10);

	private Await() {
	}

	/**
	 * Polls a condition until it holds, failing after {@link #TIMEOUT}.
	 * @param condition the condition
	 */
	public static void until(BooleanSupplier condition) {
		Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
	}

}
