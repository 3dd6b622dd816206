package dev.switchboard.registry.redis;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import reactor.core.publisher.Mono;

import dev.switchboard.registry.RegistryUnavailableException;

/**
 * Whether Redis is reachable, as the last operations found out. While it is not,
 * operations fail at once with a {@link RegistryUnavailableException} instead of queueing
 * in the client library; every operation is bounded by the command timeout.
 */
final class RedisLink {

	private static final Log logger = LogFactory.getLog(RedisLink.class);

	private final Duration timeout;

	private final Runnable onDown;

	private volatile @Nullable Throwable failure;

	private volatile Instant since = Instant.now();

	RedisLink(Duration timeout, Runnable onDown) {
		this.timeout = timeout;
		this.onDown = onDown;
	}

	boolean isUp() {
		return this.failure == null;
	}

	@Nullable Throwable failure() {
		return this.failure;
	}

	Instant since() {
		return this.since;
	}

	Duration timeout() {
		return this.timeout;
	}

	/**
	 * Runs an operation if Redis is reachable, within the command timeout; an operation
	 * that finds Redis unreachable marks the link down.
	 * @param <T> the result type
	 * @param operation the operation
	 * @param what what it does, for messages
	 * @return the guarded operation
	 */
	<T> Mono<T> guard(Mono<T> operation, String what) {
		return Mono.defer(() -> {
			Throwable failure = this.failure;
			if (failure != null) {
				return Mono.error(new RegistryUnavailableException("Redis is unreachable: cannot " + what, failure));
			}
			return attempt(operation, what);
		});
	}

	/**
	 * Runs an operation whatever the state, within the command timeout, translating
	 * unavailability; used by the probes that find out whether Redis is back.
	 * @param <T> the result type
	 * @param operation the operation
	 * @param what what it does, for messages
	 * @return the operation
	 */
	<T> Mono<T> attempt(Mono<T> operation, String what) {
		return operation.timeout(this.timeout).onErrorMap(RedisLink::isUnavailability, (ex) -> {
			down(ex);
			return new RegistryUnavailableException("Redis is unreachable: cannot " + what, ex);
		});
	}

	void down(Throwable cause) {
		if (this.failure == null) {
			this.failure = cause;
			this.since = Instant.now();
			logger.warn("Redis is unreachable (" + describe(cause) + "): remote sends fail until it is back; "
					+ "local delivery goes on");
			this.onDown.run();
		}
	}

	void up() {
		if (this.failure != null) {
			this.failure = null;
			this.since = Instant.now();
			logger.info("Redis is reachable again: subscriptions and registrations are restored");
		}
	}

	static boolean isUnavailability(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof TimeoutException || cause instanceof IOException
					|| cause instanceof DataAccessResourceFailureException || cause instanceof QueryTimeoutException
					|| cause instanceof RegistryUnavailableException) {
				return true;
			}
			String type = cause.getClass().getName();
			if (type.equals("io.lettuce.core.RedisConnectionException")
					|| type.equals("io.lettuce.core.RedisCommandTimeoutException")
					|| type.equals("io.lettuce.core.RedisCommandInterruptedException")) {
				return true;
			}
		}
		return false;
	}

	static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ((root.getMessage() != null) ? ": " + root.getMessage() : "");
	}

}
