package dev.switchboard.registry.redis;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import reactor.core.publisher.Mono;

import dev.switchboard.RegistryUnavailableException;

/**
 * The one owner of what this instance knows of Redis: whether it is reachable, which data
 * set it registered in (its epoch), and so whether the registry can be trusted. Every
 * operation goes through it, and the health indicator and the logs read it.
 * <ul>
 * <li>{@link Status#UP}: reachable, and the registry holds every instance's
 * connections.</li>
 * <li>{@link Status#DOWN}: unreachable, or it refused a write. Everything that needs
 * Redis fails at once with a {@link RegistryUnavailableException} instead of queueing in
 * the client library; {@link RedisInstanceLease} tries to recover every reconnect
 * interval.</li>
 * <li>{@link Status#RESYNCING}: reachable, but Redis lost its data since this instance
 * registered in it. Until the instances have had time to register their connections again
 * (a heartbeat interval and a command timeout after the loss was found, and this
 * instance's own registration done), the registry does not know connections that are
 * open: sends and queries fail rather than answer "not connected", while registrations go
 * on.</li>
 * </ul>
 * Every operation is bounded by the command timeout. It also knows {@link #reason why}
 * the registry cannot be trusted, for the health indicator.
 */
final class RedisConnectionState {

	private static final Log logger = LogFactory.getLog(RedisConnectionState.class);

	private final Duration timeout;

	private final Duration resyncTime;

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private volatile Status status = Status.UP;

	private volatile @Nullable Throwable failure;

	// Down because Redis answers but the subscription to this instance's channels failed,
	// rather than because Redis is unreachable.
	private volatile boolean subscriptionsLost;

	private volatile boolean shuttingDown;

	private volatile Instant since = Instant.now();

	private volatile @Nullable String epoch;

	// While resynchronizing: when the other instances will have registered again, and
	// whether this one has since the latest loss.
	private volatile long resyncUntil;

	private volatile int losses;

	private volatile int reregisteredAfter;

	/**
	 * Creates the state of a reachable Redis.
	 * @param timeout the time a command may take
	 * @param resyncTime the time the instances take to register again after a data loss:
	 * a heartbeat interval or a reconnect interval, whichever is longer, and a command
	 * timeout
	 */
	RedisConnectionState(Duration timeout, Duration resyncTime) {
		this.timeout = timeout;
		this.resyncTime = resyncTime;
	}

	void addListener(Listener listener) {
		this.listeners.add(listener);
	}

	/**
	 * The status, the end of a resynchronization included.
	 * @return the status
	 */
	Status status() {
		if (this.status == Status.RESYNCING) {
			endResyncIfDone();
		}
		return this.status;
	}

	/**
	 * Whether Redis answers, even if the registry is not in sync yet.
	 * @return {@code false} while it is down
	 */
	boolean isReachable() {
		return this.status != Status.DOWN;
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
	 * The epoch of the data set this instance registered in.
	 * @return the epoch, {@code null} before the first heartbeat
	 */
	@Nullable String epoch() {
		return this.epoch;
	}

	/**
	 * Runs an operation that reads the cluster's view, a send's lookup or a query: it
	 * fails at once while Redis is down or the registry is not in sync.
	 * @param <T> the result type
	 * @param operation the operation
	 * @param what what it does, for messages
	 * @return the guarded operation
	 */
	<T> Mono<T> read(Mono<T> operation, String what) {
		return Mono.defer(() -> {
			if (status() == Status.RESYNCING) {
				return Mono.error(new RegistryResyncingException(what));
			}
			return write(operation, what);
		});
	}

	/**
	 * Runs an operation that writes this instance's own registrations, or does not depend
	 * on the registry: it fails at once while Redis is down.
	 * @param <T> the result type
	 * @param operation the operation
	 * @param what what it does, for messages
	 * @return the guarded operation
	 */
	<T> Mono<T> write(Mono<T> operation, String what) {
		return Mono.defer(() -> {
			Throwable failure = this.failure;
			if (this.status == Status.DOWN) {
				return Mono.error(new RegistryUnavailableException("Redis is unreachable: cannot " + what, failure));
			}
			return attempt(operation, what);
		});
	}

	/**
	 * Runs an operation whatever the status, within the command timeout, translating
	 * unavailability: for the recovery, which finds out whether Redis is back.
	 * @param <T> the result type
	 * @param operation the operation
	 * @param what what it does, for messages
	 * @return the operation
	 */
	<T> Mono<T> attempt(Mono<T> operation, String what) {
		return attempt(operation, what, this.timeout);
	}

	/**
	 * Runs an operation made of several round trips to Redis, as
	 * {@link #attempt(Mono, String)} does, with a timeout of its own.
	 * @param <T> the operation's value
	 * @param operation the operation
	 * @param what what it does, for the error
	 * @param timeout how long it may take before Redis is taken to be unreachable
	 * @return the operation, failing with a {@link RegistryUnavailableException}
	 */
	<T> Mono<T> attempt(Mono<T> operation, String what, Duration timeout) {
		return operation.timeout(timeout).onErrorMap(RedisConnectionState::isUnavailability, (ex) -> {
			down(ex);
			return new RegistryUnavailableException("Redis is unreachable: cannot " + what, ex);
		});
	}

	/**
	 * Redis did not answer, or refused a write.
	 * @param cause why
	 */
	void down(Throwable cause) {
		Status from;
		synchronized (this) {
			from = this.status;
			if (from == Status.DOWN) {
				// It does not answer now, whatever it did before.
				this.subscriptionsLost = false;
				return;
			}
			this.status = Status.DOWN;
			this.failure = cause;
			this.since = Instant.now();
			this.subscriptionsLost = false;
		}
		logger.warn("Redis is unreachable (" + describe(cause) + "): remote sends and queries fail until it is back; "
				+ "local delivery goes on");
		notify(from, Status.DOWN);
	}

	/**
	 * The Sentinels promoted another server: the one this instance's connections reach
	 * still answers, as a master that is no longer the master, until the Sentinels turn
	 * it into a replica. The status is down until a recovery has subscribed and
	 * registered again on the new master.
	 * @param oldMaster the old master's address
	 * @param newMaster the new master's address
	 */
	void masterMoved(String oldMaster, String newMaster) {
		Status from;
		synchronized (this) {
			from = this.status;
			this.status = Status.DOWN;
			this.failure = new IllegalStateException(
					"the Redis Sentinels moved the master from " + oldMaster + " to " + newMaster);
			this.subscriptionsLost = false;
			if (from != Status.DOWN) {
				this.since = Instant.now();
			}
		}
		logger.info("The Redis Sentinels moved the master from " + oldMaster + " to " + newMaster
				+ ": this instance connects to the new master; remote sends and queries fail until it has "
				+ "subscribed and registered there; local delivery goes on");
		if (from != Status.DOWN) {
			notify(from, Status.DOWN);
		}
	}

	/**
	 * Redis answers, but subscribing to this instance's channels failed, or a probe
	 * published to itself did not come back: messages from the other instances would not
	 * arrive. The status is down until a recovery has subscribed again.
	 * @param cause why
	 */
	void subscriptionsLost(Throwable cause) {
		Status from;
		synchronized (this) {
			from = this.status;
			if (from == Status.DOWN && this.subscriptionsLost) {
				return;
			}
			this.status = Status.DOWN;
			this.failure = cause;
			this.subscriptionsLost = true;
			if (from != Status.DOWN) {
				this.since = Instant.now();
			}
		}
		logger.warn("Redis answers, but this instance's subscription to its channels failed (" + describe(cause)
				+ "): messages from other instances do not arrive, remote sends and queries fail until it is "
				+ "restored; local delivery goes on");
		if (from != Status.DOWN) {
			notify(from, Status.DOWN);
		}
	}

	/**
	 * The socket server began to shut down, or started again.
	 * @param shuttingDown whether it is shutting down
	 */
	void shuttingDown(boolean shuttingDown) {
		this.shuttingDown = shuttingDown;
	}

	/**
	 * Why the registry cannot be trusted, for the health indicator: the first that
	 * applies of {@code shutting-down}, {@code redis-unreachable},
	 * {@code subscriptions-lost}, {@code resyncing} and {@code lease-not-renewed}.
	 * @param leaseHeld whether this instance holds its lease
	 * @return the reason, {@code null} when it can be trusted
	 */
	@Nullable String reason(boolean leaseHeld) {
		if (this.shuttingDown) {
			return "shutting-down";
		}
		Status status = status();
		if (status == Status.DOWN) {
			return this.subscriptionsLost ? "subscriptions-lost" : "redis-unreachable";
		}
		if (status == Status.RESYNCING) {
			return "resyncing";
		}
		return leaseHeld ? null : "lease-not-renewed";
	}

	/**
	 * Redis answers again, this instance is subscribed and registered: the status is up,
	 * or resynchronizing if Redis lost its data meanwhile.
	 */
	void recovered() {
		Status to;
		synchronized (this) {
			if (this.status != Status.DOWN) {
				return;
			}
			this.failure = null;
			this.subscriptionsLost = false;
			this.since = Instant.now();
			to = (this.resyncUntil != 0) ? Status.RESYNCING : Status.UP;
			this.status = to;
		}
		logger.info("Redis is reachable again: subscriptions and registrations are restored" + ((to == Status.RESYNCING)
				? "; sends and queries wait for the other instances to register again" : ""));
		notify(Status.DOWN, to);
	}

	/**
	 * Records the epoch of the data set that a heartbeat found.
	 * @param current the epoch
	 * @return whether it changed since this instance registered: Redis lost its data
	 */
	boolean epochObserved(String current) {
		String known = this.epoch;
		if (known == null || known.equals(current)) {
			this.epoch = current;
			return false;
		}
		// Resynchronizing before the new epoch is used: a lookup made in between must
		// not pass the epoch check while the registry still misses connections.
		dataLost("a heartbeat found a new data set");
		this.epoch = current;
		return true;
	}

	/**
	 * A script found that the data set is not the one this instance registered in: Redis
	 * lost its data, and no heartbeat has seen it yet.
	 */
	void epochMismatch() {
		dataLost("an operation found a new data set");
	}

	private void dataLost(String how) {
		Status from;
		synchronized (this) {
			if (this.resyncUntil != 0) {
				return;
			}
			this.resyncUntil = Math.max(1, System.nanoTime() + this.resyncTime.toNanos());
			this.losses++;
			from = this.status;
			if (from == Status.UP) {
				this.status = Status.RESYNCING;
				this.since = Instant.now();
			}
		}
		logger.warn("Redis lost its data (" + how + "): sends and queries fail for " + this.resyncTime.toMillis()
				+ " ms, while the instances register their connections again");
		if (from == Status.UP) {
			notify(from, Status.RESYNCING);
		}
		// The wait ends at the first look at the status after it: look then, so that an
		// instance nobody sends through or queries announces its offline candidates and
		// reports up on time.
		Mono.delay(this.resyncTime).subscribe((tick) -> status());
	}

	/**
	 * Whether this instance has still to register its connections again since Redis lost
	 * its data: until it has, every heartbeat tries.
	 * @return whether it has
	 */
	boolean reregistrationPending() {
		return this.resyncUntil != 0 && this.reregisteredAfter != this.losses;
	}

	/**
	 * Identifies the latest data loss, for a registration that began after it.
	 * @return the number of losses so far
	 */
	int losses() {
		return this.losses;
	}

	/**
	 * This instance's connections are registered in the new data set.
	 * @param losses the number of losses when the registration began: one that began
	 * before the latest loss does not count
	 */
	void reregistered(int losses) {
		if (losses == this.losses) {
			this.reregisteredAfter = losses;
		}
		endResyncIfDone();
	}

	private void endResyncIfDone() {
		synchronized (this) {
			if (this.resyncUntil == 0 || this.reregisteredAfter != this.losses
					|| System.nanoTime() - this.resyncUntil < 0) {
				return;
			}
			this.resyncUntil = 0;
			if (this.status != Status.RESYNCING) {
				return;
			}
			this.status = Status.UP;
			this.since = Instant.now();
		}
		logger.info("The registry in Redis is complete again: sends and queries go on");
		notify(Status.RESYNCING, Status.UP);
	}

	private void notify(Status from, Status to) {
		for (Listener listener : this.listeners) {
			listener.statusChanged(from, to);
		}
	}

	static boolean isUnavailability(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof RegistryResyncingException || cause instanceof UnsubscribedInstanceException) {
				// Redis answered: it lost its data, which is no outage.
				return false;
			}
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

	/**
	 * What this instance knows of Redis.
	 */
	enum Status {

		/**
		 * Reachable, and the registry in sync.
		 */
		UP,

		/**
		 * Unreachable, or refusing writes.
		 */
		DOWN,

		/**
		 * Reachable, the registry being rebuilt after Redis lost its data.
		 */
		RESYNCING

	}

	/**
	 * Hears of the status's changes.
	 */
	@FunctionalInterface
	interface Listener {

		/**
		 * The status changed.
		 * @param from the previous status
		 * @param to the new one
		 */
		void statusChanged(Status from, Status to);

	}

}
