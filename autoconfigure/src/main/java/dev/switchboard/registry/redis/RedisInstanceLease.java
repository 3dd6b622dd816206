package dev.switchboard.registry.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import dev.switchboard.UserOfflineEvent;
import dev.switchboard.registry.RegistryContext;
import dev.switchboard.registry.redis.RedisConnectionState.Status;

/**
 * This instance's membership of the cluster, and what drives its
 * {@link RedisConnectionState}. It holds a lease in Redis, renewed once per heartbeat
 * whatever the number of connections; claims and purges the instances whose lease ran
 * out, announcing their users as offline; registers its connections again when Redis lost
 * its data; and, while Redis is unreachable, tries every reconnect interval to subscribe
 * again, re-register its connections and check the subscription end to end before
 * reporting Redis reachable. The registry's lifecycle, in
 * {@link dev.switchboard.registry.ConnectionRegistry#PHASE}, takes the lease before the
 * socket server starts and gives it back once the server has stopped.
 *
 * @since 0.1.0
 */
public final class RedisInstanceLease {

	private static final Log logger = LogFactory.getLog(RedisInstanceLease.class);

	private final RegistryRedis redis;

	private final RedisConnectionRegistry registry;

	private final RedisMessageBus bus;

	private final Duration heartbeatInterval;

	private final Duration reconnectInterval;

	private final Duration leaseTime;

	private final int purgeBatchSize;

	private final Scheduler scheduler = Schedulers.newSingle("switchboard-redis", true);

	private final AtomicBoolean ticking = new AtomicBoolean();

	private final AtomicBoolean tickAgain = new AtomicBoolean();

	private final AtomicBoolean joined = new AtomicBoolean();

	private volatile boolean leaseHeld;

	private volatile boolean running;

	private volatile @Nullable Disposable next;

	private final @Nullable SentinelMasterWatch sentinels;

	private final AtomicBoolean askingSentinels = new AtomicBoolean();

	private volatile @Nullable Disposable watching;

	private long nextDue;

	RedisInstanceLease(RegistryRedis redis, RedisConnectionRegistry registry, RedisMessageBus bus,
			RedisRegistryFactory.Settings settings) {
		this.redis = redis;
		this.registry = registry;
		this.bus = bus;
		this.heartbeatInterval = heartbeatInterval(settings.instanceTimeout());
		this.reconnectInterval = settings.reconnectInterval();
		this.leaseTime = settings.instanceTimeout().multipliedBy(2).dividedBy(3);
		this.purgeBatchSize = settings.purgeBatchSize();
		this.sentinels = SentinelMasterWatch.of(redis.connectionFactory, settings.commandTimeout());
		redis.state.addListener((from, to) -> {
			// Lost: tries again within the reconnect interval, not at the next heartbeat.
			// Its data lost: the heartbeat registers this instance's connections again.
			if (to == Status.DOWN) {
				schedule(this.reconnectInterval);
			}
			else if (to == Status.RESYNCING) {
				schedule(Duration.ZERO);
			}
		});
	}

	Duration leaseTime() {
		return this.leaseTime;
	}

	static Duration heartbeatInterval(Duration instanceTimeout) {
		return instanceTimeout.dividedBy(3);
	}

	/**
	 * Subscribes the bus and takes the lease, then renews it every heartbeat; Redis being
	 * unreachable does not stop the application from starting, and the instance joins the
	 * cluster once it is reachable.
	 */
	void start() {
		this.running = true;
		this.joined.set(false);
		this.redis.state.shuttingDown(false);
		try {
			// Subscribing takes up to three command timeouts, the heartbeat and the
			// probe one each.
			subscription(this.bus.subscribe()).then(heartbeat())
				.then(subscription(this.bus.probe()))
				.block(this.redis.state.timeout().multipliedBy(5));
		}
		catch (RuntimeException ex) {
			// Down already when the subscription was lost: that reason stays.
			if (this.redis.state.isReachable()) {
				this.redis.state.down(ex);
			}
		}
		logJoinedOnce();
		schedule(this.redis.state.isReachable() ? this.heartbeatInterval : this.reconnectInterval);
		if (this.sentinels != null) {
			long every = this.reconnectInterval.toMillis();
			this.watching = this.scheduler.schedulePeriodically(this::askSentinels, 0, every, TimeUnit.MILLISECONDS);
		}
	}

	// Every reconnect interval, one question at a time: a master that moved is left at
	// once, for the new one, however the old one still answers.
	private void askSentinels() {
		SentinelMasterWatch sentinels = this.sentinels;
		if (sentinels == null || !this.running || !this.askingSentinels.compareAndSet(false, true)) {
			return;
		}
		sentinels.check()
			.publishOn(this.scheduler)
			.doOnNext(this::leave)
			.doFinally((signal) -> this.askingSentinels.set(false))
			.subscribe(null, (ex) -> logger.debug("Could not follow the Redis Sentinels: " + ex));
	}

	private void leave(SentinelMasterWatch.Move move) {
		if (!SentinelMasterWatch.answers(move.from())) {
			// The old master went away: no connection of this instance is on it, and
			// Lettuce reconnects them through the Sentinels by itself; the recovery, if
			// this instance found Redis unreachable, goes on at once. Resetting Boot's
			// shared connection would wait, holding the factory's lock, for the close of
			// a connection that is reconnecting to a dead server, which Lettuce may never
			// finish.
			logger.info("The Redis Sentinels moved the master from " + move.from() + ", which no longer answers, to "
					+ move.to() + ": this instance's connections follow through the Sentinels");
			// An instance that has not been down since before the Sentinels moved the
			// master (a heartbeat every third of instance-timeout may not have run into
			// the dead one) recovers on the new one: subscribes, registers, probes. One
			// that came back since then did so on the new master already.
			boolean recoveredSince = this.redis.state.isReachable()
					&& this.redis.state.since().isAfter(Instant.now().minus(this.reconnectInterval.multipliedBy(2)));
			if (this.redis.state.isReachable() && !recoveredSince) {
				this.redis.state.masterMoved(move.from(), move.to());
			}
			schedule(Duration.ZERO);
			return;
		}
		this.redis.state.masterMoved(move.from(), move.to());
		if (!(this.redis.connectionFactory instanceof LettuceConnectionFactory lettuce)
				|| !lettuce.getShareNativeConnection()) {
			schedule(Duration.ZERO);
			return;
		}
		// The old master still answers, as a master that is no longer the master: it
		// closes the shared connection at this instance's request, and Lettuce
		// reconnects it through the Sentinels, to the new master; the recovery
		// subscribes on a connection of its own. Resetting Boot's shared connection
		// instead would wait, holding the factory's lock, for a close that needs the
		// Redis client's event loop, where an operation may wait for that same lock.
		SentinelMasterWatch.closeSharedConnection(this.redis.template, "switchboard-" + this.redis.instanceId)
			.timeout(this.redis.state.timeout())
			.doFinally((signal) -> schedule(Duration.ZERO))
			.subscribe(null,
					(ex) -> logger.warn("Could not close the shared Redis connection on the old master " + move.from()
							+ " (" + RedisConnectionState.describe(ex)
							+ "): it follows the Sentinels once they demote that server"));
	}

	// Once per start, when the lease is first held with Redis reachable: at the start
	// itself, or at a later tick if Redis was unreachable then, or the lease of an
	// earlier process with this id was still being purged. A lease lost and taken back
	// afterwards is the heartbeat's to log, as a warning.
	private void logJoinedOnce() {
		if (this.leaseHeld && this.redis.state.isReachable() && this.joined.compareAndSet(false, true)) {
			logger.info("Switchboard instance " + this.redis.instanceId + " joined the cluster in Redis");
		}
	}

	/**
	 * Asks for a heartbeat now, after an operation found that the lease was lost.
	 */
	void leaseLost() {
		if (this.leaseHeld) {
			this.leaseHeld = false;
			schedule(Duration.ZERO);
		}
	}

	// The next tick comes at the earliest time asked for: a later request does not put
	// off one that is due sooner.
	private synchronized void schedule(Duration delay) {
		if (!this.running) {
			return;
		}
		long now = System.nanoTime();
		long due = now + delay.toNanos();
		Disposable previous = this.next;
		// A tick whose time has come runs, or is about to: the next one is scheduled
		// anew.
		if (previous != null && !previous.isDisposed() && this.nextDue - now > 0) {
			if (due - this.nextDue >= 0) {
				return;
			}
			previous.dispose();
		}
		this.nextDue = due;
		this.next = this.scheduler.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	// One tick at a time: a tick asked for while one runs follows it at once, so that two
	// reconciliations never overlap.
	private void tick() {
		if (!this.ticking.compareAndSet(false, true)) {
			this.tickAgain.set(true);
			return;
		}
		Mono<Void> work = this.redis.state.isReachable()
				? heartbeat().then(reapAndPurge()).then(subscription(this.redis.pubSub.check())) : recover();
		work.onErrorResume((ex) -> {
			logger.debug("Redis maintenance failed: " + RedisConnectionState.describe(ex));
			return Mono.empty();
		}).doFinally((signal) -> {
			logJoinedOnce();
			this.ticking.set(false);
			boolean again = this.tickAgain.getAndSet(false);
			schedule(again ? Duration.ZERO : (this.redis.state.isReachable() && this.leaseHeld) ? this.heartbeatInterval
					: this.reconnectInterval);
		}).subscribe();
	}

	/**
	 * Renews the lease; when it had been lost, or Redis lost its data, registers this
	 * instance's connections again.
	 * @return whether the connections were registered again
	 */
	private Mono<Boolean> heartbeat() {
		return this.redis.state
			.attempt(this.redis.commands.heartbeat(this.redis.instanceId, this.leaseTime.toMillis(),
					UUID.randomUUID().toString()), "renew the lease")
			.flatMap((result) -> {
				long status = (Long) result.get(0);
				boolean firstHeartbeat = this.redis.state.epoch() == null;
				boolean dataLost = this.redis.state.epochObserved(RegistryRedis.string(result.get(1)));
				// Until this instance has registered again since the loss, each heartbeat
				// tries: a registration that failed is not left undone.
				boolean reregister = this.redis.state.reregistrationPending();
				int losses = this.redis.state.losses();
				if (status == -1) {
					this.leaseHeld = false;
					logger.warn("Other instances are purging this instance's connections after its lease ran out; "
							+ "it registers them again once they are done");
					return Mono.just(false);
				}
				boolean wasHeld = this.leaseHeld;
				this.leaseHeld = true;
				if (status == 1 && wasHeld && !reregister) {
					return Mono.just(false);
				}
				// A first registration also removes what a previous process with this id
				// left.
				if (!firstHeartbeat && (dataLost || !reregister)) {
					logger.warn("This instance's lease " + (dataLost ? "vanished with Redis's data" : "had run out")
							+ ": registering its connections again");
				}
				return this.registry.reconcile(reregister)
					.then(Mono.fromRunnable(() -> this.redis.state.reregistered(losses)))
					.thenReturn(true);
			});
	}

	// Subscribing takes a connection of its own: it succeeds once Redis answers, whatever
	// the shared connection's reconnection backoff, which a check then cuts short, so
	// that recovery follows the reconnect interval. Connections that opened or closed
	// during the outage are registered or removed even when the lease outlived it.
	private Mono<Void> recover() {
		return subscription(this.bus.subscribe()).then(renewSharedConnection())
			.then(heartbeat())
			.flatMap((reconciled) -> (reconciled || !this.leaseHeld) ? Mono.empty() : this.registry.reconcile(false))
			.then(subscription(this.bus.probe()))
			.then(Mono.fromRunnable(this.redis.state::recovered))
			.then(this.registry.removeClosedWhileDown())
			.then(this.registry.registerPendingConnections());
	}

	// A subscription or a probe that failed while Redis answered (a refusal, a probe that
	// did not come back) means that the subscription is lost, not Redis.
	private Mono<Void> subscription(Mono<Void> step) {
		return step.doOnError((ex) -> {
			if (!RedisConnectionState.isUnavailability(ex)) {
				this.redis.state.subscriptionsLost(ex);
			}
		});
	}

	private Mono<Void> renewSharedConnection() {
		if (this.redis.connectionFactory instanceof LettuceConnectionFactory lettuce
				&& lettuce.getShareNativeConnection()) {
			// Replaces the shared connection only when it is not connected. It blocks,
			// and must not on the Redis client's event loops, where the subscription
			// ended.
			return this.redis.state
				.attempt(Mono.<Void>fromRunnable(lettuce::validateConnection).subscribeOn(this.scheduler), "reconnect");
		}
		return Mono.empty();
	}

	private Mono<Void> reapAndPurge() {
		return this.redis.state
			.attempt(this.redis.commands.reap(this.redis.instanceId, this.leaseTime.toMillis(), 10),
					"claim dead instances")
			.flatMapMany((claimed) -> Flux.fromIterable((List<?>) claimed))
			.map(RegistryRedis::string)
			.concatMap((dead) -> purge(dead, true))
			.then();
	}

	private Mono<Void> purge(String dead, boolean claimed) {
		long started = System.nanoTime();
		return purgeBatch(dead, claimed)
			.expand((remaining) -> (remaining > 0) ? purgeBatch(dead, claimed) : Mono.empty())
			.then(Mono.fromRunnable(() -> {
				logger.info("Purged the connections of instance " + dead + " in "
						+ Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
				RegistryContext context = this.registry.context();
				// Its own entries, given back at shutdown, are no dead instance's.
				if (claimed && context != null) {
					context.instancePurged(dead);
				}
			}));
	}

	private Mono<Long> purgeBatch(String dead, boolean claimed) {
		return this.redis.state
			.attempt(this.redis.commands.purge(dead, this.purgeBatchSize, this.leaseTime.toMillis(), claimed),
					"purge an instance")
			.map((result) -> {
				RegistryContext context = this.registry.context();
				for (int i = 1; i + 1 < result.size(); i += 2) {
					if (context != null) {
						context.publishEvent(new UserOfflineEvent(RegistryRedis.string(result.get(i)),
								RegistryRedis.string(result.get(i + 1))));
					}
				}
				return (Long) result.get(0);
			});
	}

	/**
	 * The state of this instance in the cluster.
	 * @return the state
	 */
	public State state() {
		Throwable failure = this.redis.state.failure();
		Status status = this.redis.state.status();
		boolean leaseHeld = this.leaseHeld;
		return new State(this.redis.instanceId, status.name().toLowerCase(Locale.ROOT), status == Status.UP, leaseHeld,
				this.redis.state.since(), (failure != null) ? RedisConnectionState.describe(failure) : null,
				this.redis.state.reason(leaseHeld));
	}

	/**
	 * Counts the instances that hold a lease, for health details.
	 * @return the count
	 */
	public Mono<Long> liveInstances() {
		return this.redis.state.read(this.redis.query("instances", ""), "count instances").map(Long.class::cast);
	}

	/**
	 * Stops renewing the lease and gives it back, with this instance's remaining entries,
	 * then ends the bus's subscription.
	 */
	void stop() {
		this.running = false;
		Disposable next = this.next;
		if (next != null) {
			next.dispose();
		}
		Disposable watching = this.watching;
		if (watching != null) {
			watching.dispose();
		}
		if (this.sentinels != null) {
			this.sentinels.close();
		}
		if (this.redis.state.isReachable()) {
			try {
				this.redis.state
					.attempt(this.redis.commands.leaveCluster(this.redis.instanceId, this.leaseTime.toMillis()),
							"give the lease back")
					.flatMap((remaining) -> (remaining > 0) ? purge(this.redis.instanceId, false) : Mono.empty())
					.block(this.redis.state.timeout().multipliedBy(5));
				logger.info("Switchboard instance " + this.redis.instanceId + " left the cluster in Redis");
			}
			catch (RuntimeException ex) {
				logger.warn("Could not remove this instance from Redis; the survivors will purge it: "
						+ RedisConnectionState.describe(ex));
			}
		}
		this.bus.close();
		this.leaseHeld = false;
	}

	boolean isRunning() {
		return this.running;
	}

	/**
	 * The state of an instance in the cluster.
	 *
	 * @param instance the instance id
	 * @param redis what the instance knows of Redis: {@code up}, {@code down} while it is
	 * unreachable, {@code resyncing} while the registry is rebuilt after Redis lost its
	 * data
	 * @param reachable whether Redis is reachable and the registry in sync
	 * @param leaseHeld whether the instance holds its lease
	 * @param since when the Redis state last changed
	 * @param failure why Redis is unreachable, {@code null} when it is reachable
	 * @param reason why the registry cannot be trusted ({@code shutting-down},
	 * {@code redis-unreachable}, {@code subscriptions-lost}, {@code resyncing},
	 * {@code lease-not-renewed}), {@code null} when it can
	 */
	public record State(String instance, String redis, boolean reachable, boolean leaseHeld, Instant since,
			@Nullable String failure, @Nullable String reason) {

	}

}
