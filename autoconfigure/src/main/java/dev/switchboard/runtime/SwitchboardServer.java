package dev.switchboard.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.SocketAuthenticator;
import dev.switchboard.SocketInterceptor;
import dev.switchboard.Switchboard;
import dev.switchboard.handler.support.MessageCodec;
import dev.switchboard.handler.support.SocketHandler;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.MessageBus;
import dev.switchboard.registry.RegistryContext;
import dev.switchboard.registry.RegistryContext.LocalConnection;

/**
 * The WebSocket server: the endpoints of the sockets, the {@link Switchboard}, and their
 * lifecycle. It starts receiving from the message bus with the application and, on
 * shutdown, in a phase that runs before the web server's graceful shutdown (which would
 * otherwise wait on open WebSockets), refuses new handshakes with 503, closes every
 * connection with 1001 and waits for the sends in flight to the other instances.
 *
 * @since 0.1.0
 */
public final class SwitchboardServer implements SmartLifecycle, DisposableBean {

	/**
	 * Lifecycle phase: after the web server's graceful shutdown phase and the registry's
	 * in start order, so before them in stop order.
	 */
	public static final int PHASE = ConnectionRegistry.PHASE + 256;

	private static final Log logger = LogFactory.getLog(SwitchboardServer.class);

	private static final CloseStatus GOING_AWAY = CloseStatus.GOING_AWAY.withReason("server shutting down");

	private final ServerContext context;

	private final DefaultSwitchboard switchboard;

	private final List<HandshakeNegotiator> endpoints;

	private volatile @Nullable Disposable receiving;

	/**
	 * Creates a server.
	 * @param settings the runtime settings
	 * @param codec the message codec
	 * @param handlers the handlers of the application's sockets
	 * @param registry the connection registry
	 * @param bus the message bus
	 * @param events publishes presence events
	 * @param metrics records what happens
	 * @param interceptors the interceptors, in order
	 * @param authenticator authenticates tokens, {@code null} for none
	 */
	public SwitchboardServer(ServerSettings settings, MessageCodec codec, List<SocketHandler> handlers,
			ConnectionRegistry registry, MessageBus bus, ApplicationEventPublisher events, SwitchboardMetrics metrics,
			List<SocketInterceptor> interceptors, @Nullable SocketAuthenticator authenticator) {
		this(settings, codec, handlers, registry, bus, events, metrics, interceptors, authenticator,
				ObservationRegistry.NOOP);
	}

	/**
	 * Creates a server that observes its handler methods, sends and deliveries.
	 * @param settings the runtime settings
	 * @param codec the message codec
	 * @param handlers the handlers of the application's sockets
	 * @param registry the connection registry
	 * @param bus the message bus
	 * @param events publishes presence events
	 * @param metrics records what happens
	 * @param interceptors the interceptors, in order
	 * @param authenticator authenticates tokens, {@code null} for none
	 * @param observations where the observations go; a no-op registry costs nothing
	 */
	public SwitchboardServer(ServerSettings settings, MessageCodec codec, List<SocketHandler> handlers,
			ConnectionRegistry registry, MessageBus bus, ApplicationEventPublisher events, SwitchboardMetrics metrics,
			List<SocketInterceptor> interceptors, @Nullable SocketAuthenticator authenticator,
			ObservationRegistry observations) {
		this(settings, codec, handlers, registry, bus, events, metrics, interceptors, authenticator, observations,
				HistoryPolicy.NONE);
	}

	/**
	 * Creates a server whose streams may keep a history.
	 * @param settings the settings
	 * @param codec encodes and decodes messages
	 * @param handlers the sockets' handlers
	 * @param registry the connection registry
	 * @param bus the message bus
	 * @param events publishes presence events
	 * @param metrics records what happens
	 * @param interceptors the interceptors, in order
	 * @param authenticator authenticates tokens, {@code null} for none
	 * @param observations where the observations go; a no-op registry costs nothing
	 * @param history which streams keep a history, and where
	 */
	public SwitchboardServer(ServerSettings settings, MessageCodec codec, List<SocketHandler> handlers,
			ConnectionRegistry registry, MessageBus bus, ApplicationEventPublisher events, SwitchboardMetrics metrics,
			List<SocketInterceptor> interceptors, @Nullable SocketAuthenticator authenticator,
			ObservationRegistry observations, HistoryPolicy history) {
		this.context = new ServerContext(settings, codec, registry, bus, events, metrics, interceptors, authenticator,
				observations, history);
		this.switchboard = new DefaultSwitchboard(this.context);
		this.endpoints = handlers.stream().map((handler) -> new HandshakeNegotiator(handler, this.context)).toList();
		registry.attach(new ServerRegistryContext());
	}

	/**
	 * The settings the server runs with.
	 * @return the settings
	 */
	public ServerSettings settings() {
		return this.context.settings();
	}

	/**
	 * The codec that reads and writes the messages.
	 * @return the codec
	 */
	public MessageCodec codec() {
		return this.context.codec();
	}

	/**
	 * The switchboard backed by this server.
	 * @return the switchboard
	 */
	public Switchboard switchboard() {
		return this.switchboard;
	}

	/**
	 * The endpoints, one per socket.
	 * @return the endpoints
	 */
	public List<HandshakeNegotiator> endpoints() {
		return this.endpoints;
	}

	/**
	 * A connection open on this instance, for the runtime's own use.
	 * @param id the connection's id
	 * @return the connection, or {@code null}
	 */
	@Nullable NettySocketConnection localConnection(String id) {
		return this.context.local().get(id);
	}

	/**
	 * Number of connections open on this instance.
	 * @return the count
	 */
	public int connectionCount() {
		return this.context.local().size();
	}

	/**
	 * Number of connections of one socket open on this instance.
	 * @param socket the socket's name
	 * @return the count
	 */
	public int connectionCount(String socket) {
		return this.context.local().size(socket);
	}

	/**
	 * Number of rooms with a member on this instance.
	 * @return the count
	 */
	public int roomCount() {
		return this.context.local().rooms();
	}

	/**
	 * Number of users with a connection on this instance.
	 * @return the count
	 */
	public int userCount() {
		return this.context.local().users();
	}

	/**
	 * A connection open on this instance, as the registry records it.
	 * @param id the connection's id
	 * @return the connection with its rooms, or {@code null}
	 */
	public @Nullable LocalConnection describe(String id) {
		NettySocketConnection connection = localConnection(id);
		return (connection != null) ? connection.local(Set.copyOf(connection.joinedRooms())) : null;
	}

	/**
	 * Watches a TCP connection the web server just accepted until its WebSocket
	 * handshake: the handshake timeout, and the per-instance connection limit, which it
	 * counts against from its accept. Called for every connection the web server accepts,
	 * before it reads anything.
	 * @param channel the connection's channel
	 */
	public void connectionAccepted(Channel channel) {
		HandshakeGuard.install(channel, this.context);
	}

	@Override
	public void start() {
		this.context.restart();
		this.context.sends().reset();
		this.context.accepting(true);
		this.receiving = this.context.bus()
			.receive()
			.subscribe(this.switchboard::receive,
					(ex) -> logger.error("Switchboard stopped receiving from the message bus", ex));
	}

	@Override
	public void stop() {
		throw new UnsupportedOperationException("Stop with a callback");
	}

	/**
	 * Stops serving, in order: new handshakes are refused with 503, open connections
	 * closed with 1001 and their disconnect handled ({@code @OnDisconnect} included), the
	 * listeners of the presence events that caused run, and the sends published to the
	 * other instances before then end. Only then does the callback let the registry, in a
	 * later phase, give the lease back. All within the shutdown timeout, after which the
	 * sends still in flight fail with a {@link dev.switchboard.DeliveryException}.
	 * @param callback called once done
	 */
	@Override
	public void stop(Runnable callback) {
		this.context.accepting(false);
		this.context.registry().serverStopping();
		Collection<NettySocketConnection> open = this.context.local().all();
		if (!open.isEmpty()) {
			logger.info("Closing " + open.size() + " WebSocket connection(s) for shutdown");
		}
		open.forEach((connection) -> connection.close(GOING_AWAY, false));
		Duration timeout = this.context.settings().shutdownTimeout();
		AtomicBoolean closed = new AtomicBoolean();
		Flux.fromIterable(open)
			.flatMap(NettySocketConnection::terminated)
			.then(Mono.fromRunnable(() -> closed.set(true)))
			.then(this.context.eventsHandled())
			.then(this.context.sends().drained())
			.timeout(timeout)
			.onErrorResume((ex) -> {
				if (!closed.get()) {
					logger.warn("Connections still open after " + timeout + " of shutdown");
				}
				int aborted = this.context.sends().abort(timeout);
				if (aborted > 0) {
					logger.warn(aborted + " send(s) to other instances still in flight after " + timeout
							+ " of shutdown failed with DeliveryException");
				}
				return Mono.empty();
			})
			.doFinally((signal) -> {
				Disposable receiving = this.receiving;
				if (receiving != null) {
					receiving.dispose();
				}
				this.receiving = null;
				callback.run();
			})
			.subscribe();
	}

	/**
	 * Stops the event thread, once every lifecycle bean that might publish is stopped.
	 */
	@Override
	public void destroy() {
		this.context.dispose();
	}

	@Override
	public boolean isRunning() {
		return this.receiving != null;
	}

	/**
	 * Not paused with a test context: the web server it serves on is not paused either.
	 * @return {@code false}
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * What the registry sees of this instance.
	 */
	private final class ServerRegistryContext implements RegistryContext {

		@Override
		public String instanceId() {
			return SwitchboardServer.this.context.settings().instanceId();
		}

		@Override
		public List<LocalConnection> localConnections() {
			return SwitchboardServer.this.context.local()
				.all()
				.stream()
				.map((connection) -> connection.local(Set.copyOf(connection.joinedRooms())))
				.toList();
		}

		@Override
		public void publishEvent(Object event) {
			SwitchboardServer.this.context.publish(event);
		}

		@Override
		public void instancePurged(String instanceId) {
			SwitchboardServer.this.context.metrics().instancePurged();
		}

	}

}
