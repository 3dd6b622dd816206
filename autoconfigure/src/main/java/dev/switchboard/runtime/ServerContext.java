package dev.switchboard.runtime;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.EventLoop;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import dev.switchboard.DeliveryException;
import dev.switchboard.SendResult;
import dev.switchboard.SocketAuthenticator;
import dev.switchboard.SocketInterceptor;
import dev.switchboard.handler.support.MessageCodec;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.MessageBus;

/**
 * What every part of the runtime shares: settings, codec, the local table, the cluster
 * SPI, events and metrics.
 */
final class ServerContext {

	private static final Log logger = LogFactory.getLog(ServerContext.class);

	private static final ThrottledLog failures = new ThrottledLog(logger);

	private final ServerSettings settings;

	private final MessageCodec codec;

	private final LocalConnections local = new LocalConnections();

	private final SendsInFlight sends = new SendsInFlight();

	private final ConnectionRegistry registry;

	private final MessageBus bus;

	private final ApplicationEventPublisher events;

	private final SwitchboardMetrics metrics;

	private final @Nullable Observations observations;

	private final InterceptorChain interceptors;

	private final ConnectionLog connectionLog;

	private final @Nullable SocketAuthenticator authenticator;

	private final AtomicInteger admitted = new AtomicInteger();

	private volatile Scheduler eventPublisher = newEventPublisher();

	private volatile boolean accepting;

	private final HistoryPolicy historyPolicy;

	private final Map<EventLoop, Scheduler> eventLoopSchedulers = new ConcurrentHashMap<>();

	ServerContext(ServerSettings settings, MessageCodec codec, ConnectionRegistry registry, MessageBus bus,
			ApplicationEventPublisher events, SwitchboardMetrics metrics, List<SocketInterceptor> interceptors,
			@Nullable SocketAuthenticator authenticator, ObservationRegistry observationRegistry,
			HistoryPolicy historyPolicy) {
		this.historyPolicy = historyPolicy;
		this.interceptors = new InterceptorChain(interceptors);
		this.authenticator = authenticator;
		this.settings = settings;
		this.codec = codec;
		this.registry = registry;
		this.bus = bus;
		this.events = events;
		this.metrics = metrics;
		this.observations = Observations.of(observationRegistry);
		this.connectionLog = new ConnectionLog(settings.logging());
	}

	HistoryPolicy historyPolicy() {
		return this.historyPolicy;
	}

	ServerSettings settings() {
		return this.settings;
	}

	/**
	 * The scheduler of an event loop, one for all the connections it serves.
	 * @param eventLoop the event loop
	 * @return its scheduler
	 */
	Scheduler scheduler(EventLoop eventLoop) {
		return this.eventLoopSchedulers.computeIfAbsent(eventLoop, Schedulers::fromExecutorService);
	}

	MessageCodec codec() {
		return this.codec;
	}

	LocalConnections local() {
		return this.local;
	}

	/**
	 * The publications to the other instances in flight, which the shutdown waits for.
	 * @return the sends in flight
	 */
	SendsInFlight sends() {
		return this.sends;
	}

	ConnectionRegistry registry() {
		return this.registry;
	}

	MessageBus bus() {
		return this.bus;
	}

	SwitchboardMetrics metrics() {
		return this.metrics;
	}

	/**
	 * The observations to make.
	 * @return the observations, {@code null} for none
	 */
	@Nullable Observations observations() {
		return this.observations;
	}

	InterceptorChain interceptors() {
		return this.interceptors;
	}

	ConnectionLog connectionLog() {
		return this.connectionLog;
	}

	@Nullable SocketAuthenticator authenticator() {
		return this.authenticator;
	}

	/**
	 * Counts a handshake against the per-instance limit, from its admission to the end of
	 * its connection.
	 * @param limit the limit, 0 for none
	 * @return {@code false} when the instance is full
	 */
	boolean admit(int limit) {
		if (this.admitted.incrementAndGet() > limit && limit > 0) {
			this.admitted.decrementAndGet();
			return false;
		}
		return true;
	}

	/**
	 * Counts a TCP connection that may become a WebSocket, from its accept, whatever the
	 * count: whether it is over the limit is decided at its handshake.
	 */
	void acquire() {
		this.admitted.incrementAndGet();
	}

	/**
	 * Whether the count, connections already counted included, is within the limit.
	 * @param limit the limit, 0 for none
	 * @return whether it is
	 */
	boolean withinLimit(int limit) {
		return limit <= 0 || this.admitted.get() <= limit;
	}

	void release() {
		this.admitted.decrementAndGet();
	}

	/**
	 * A place in the per-instance count, held from a handshake's admission to the end of
	 * its connection and released once, however many parties see it end.
	 * @return the permit of a place already counted
	 */
	Permit permit() {
		return new Permit();
	}

	/**
	 * Connections counted against the per-instance limit: open, and being accepted.
	 * @return the count
	 */
	int counted() {
		return this.admitted.get();
	}

	/**
	 * Publishes an application event on Switchboard's event thread, in order, so that a
	 * listener that blocks never stalls an event loop.
	 * @param event the event
	 */
	void publish(Object event) {
		this.eventPublisher.schedule(() -> {
			try {
				this.events.publishEvent(event);
			}
			catch (RuntimeException ex) {
				failures.error("listener:" + event.getClass().getName(), () -> "A listener failed on " + event, ex);
			}
		});
	}

	/**
	 * Waits for the listeners of the events published so far, which may send (a user who
	 * went offline, say): they run in order on the event thread.
	 * @return completes once they have run
	 */
	Mono<Void> eventsHandled() {
		return Mono.<Void>fromRunnable(() -> {
		}).subscribeOn(this.eventPublisher).onErrorResume((ex) -> Mono.empty());
	}

	void dispose() {
		this.eventPublisher.disposeGracefully().subscribe();
	}

	void restart() {
		if (this.eventPublisher.isDisposed()) {
			this.eventPublisher = newEventPublisher();
		}
	}

	// A thread of its own where listeners may block, Reactor's block() included, which
	// Reactor refuses on the threads of its single schedulers.
	private static Scheduler newEventPublisher() {
		return Schedulers.newSingle((task) -> {
			Thread thread = new Thread(task, "switchboard-events");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Whether handshakes are accepted: from the server's start to its stop.
	 * @return {@code true} while running
	 */
	boolean isAccepting() {
		return this.accepting;
	}

	void accepting(boolean accepting) {
		this.accepting = accepting;
	}

	boolean isLocal(String connectionId) {
		return connectionId.startsWith(this.settings.instanceId() + ".");
	}

	/**
	 * Joins a room on behalf of a connection of this instance: the local index first, so
	 * that the connection receives the room's messages at once, then the registry.
	 * @param connection the connection
	 * @param room the room
	 * @return completes when the registry has recorded the membership
	 */
	Mono<Void> join(NettySocketConnection connection, String room) {
		return this.interceptors.onJoin(connection, room).then(Mono.defer(() -> {
			if (!this.local.join(connection, room)) {
				return Mono.empty();
			}
			follow(connection, room);
			return this.registry.join(connection.info(), room).onErrorMap(this::registryFailure);
		}));
	}

	Mono<Void> leave(NettySocketConnection connection, String room) {
		return Mono.defer(() -> {
			if (!this.local.leave(connection, room)) {
				return Mono.empty();
			}
			StreamCursors cursors = connection.cursors();
			if (cursors != null) {
				cursors.forget(HistoryPolicy.room(room));
			}
			return this.registry.leave(connection.info(), room).onErrorMap(this::registryFailure);
		});
	}

	// A connection that recovers is brought in sync with the room's history.
	private void follow(NettySocketConnection connection, String room) {
		StreamCursors cursors = connection.cursors();
		String stream = HistoryPolicy.room(room);
		if (cursors != null && this.historyPolicy.stream(stream) != null) {
			cursors.follow(stream);
		}
	}

	private Throwable registryFailure(Throwable ex) {
		failures.warn("room change",
				() -> "The registry could not record a room change; it will be restored when the registry is back", ex);
		return new DeliveryException("the registry is unavailable: the change holds on this instance only",
				new SendResult(1, 0), ex);
	}

	/**
	 * A place in the per-instance count, released once.
	 */
	final class Permit implements Runnable {

		private final AtomicBoolean released = new AtomicBoolean();

		@Override
		public void run() {
			if (this.released.compareAndSet(false, true)) {
				release();
			}
		}

	}

}
