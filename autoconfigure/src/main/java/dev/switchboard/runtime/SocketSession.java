package dev.switchboard.runtime;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.common.KeyValue;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.Connection;
import reactor.netty.http.websocket.WebsocketInbound;

import dev.switchboard.ConnectionRejectedException;
import dev.switchboard.ErrorCode;
import dev.switchboard.InboundMessage;
import dev.switchboard.RateLimitAction;
import dev.switchboard.UserOfflineEvent;
import dev.switchboard.UserOnlineEvent;
import dev.switchboard.handler.support.OutboundMessage;
import dev.switchboard.handler.support.SocketHandler;
import dev.switchboard.handler.support.SocketHandlerMethod;
import dev.switchboard.handler.support.SocketInvocationContext;
import dev.switchboard.handler.support.SocketSettings;
import dev.switchboard.registry.ConnectionRegistry.Registration;
import dev.switchboard.runtime.SwitchboardMetrics.HandshakeRejection;
import dev.switchboard.runtime.SwitchboardMetrics.SocketMetrics;

/**
 * One connection, from its upgrade to its end: it installs the connection's frame
 * handlers, opens it (registration, interceptors, {@code @OnConnect}, presence), reads
 * its messages within its rate into the {@link InboundPipeline}, and once the channel is
 * closed undoes what the opening did ({@code @OnDisconnect} last). It records how far the
 * connection got, so that only what was done is undone.
 */
final class SocketSession {

	private static final Log logger = LogFactory.getLog(SocketSession.class);

	private static final ThrottledLog throttled = new ThrottledLog(logger);

	private static final SecureRandom random = new SecureRandom();

	// Messages read ahead of the one being handled: one, in a queue of one. A larger
	// prefetch takes a padded array queue of some 400 bytes on every connection.
	private static final int INBOUND_PREFETCH = 1;

	// Replies of each in-flight message that an ordered socket buffers until their turn.
	private static final int ORDERED_PREFETCH = 4;

	private static final CloseStatus RATE_LIMITED = CloseStatus.POLICY_VIOLATION.withReason("rate limit exceeded");

	private final SocketSettings socket;

	private final SocketHandler handler;

	private final ServerContext context;

	private final InboundPipeline pipeline;

	private final Failures failures;

	private final SocketMetrics meters;

	private final Connection netty;

	private final NettySocketConnection connection;

	private final EventLoop eventLoop;

	private final Scheduler scheduler;

	private final @Nullable TokenBucket rate;

	private final AtomicBoolean finishing = new AtomicBoolean();

	private volatile boolean registered;

	private volatile boolean connected;

	// Counted as opened, so that its close is counted too.
	private volatile boolean counted;

	private volatile boolean cameOnline;

	private volatile boolean refused;

	private volatile boolean openingDone;

	private volatile int interceptorsConnected;

	SocketSession(SocketHandler handler, ServerContext context, InboundPipeline pipeline, Failures failures,
			SocketMetrics meters, Connection netty, AcceptedHandshake handshake) {
		this.socket = handler.settings();
		this.handler = handler;
		this.context = context;
		this.pipeline = pipeline;
		this.failures = failures;
		this.meters = meters;
		this.netty = netty;
		this.connection = new NettySocketConnection(newId(context), this.socket.name(), handshake, netty.channel(),
				context, meters);
		if (this.socket.recovery() && !context.historyPolicy().isEmpty()) {
			this.connection.recover(StreamCursors.of(this.connection, context.historyPolicy(),
					handshake.queryParams().getFirst(StreamCursors.RECOVER_PARAMETER),
					context.settings().outboundBufferSize()));
		}
		this.eventLoop = netty.channel().eventLoop();
		this.scheduler = context.scheduler(this.eventLoop);
		ServerSettings.Limits limits = context.settings().limits();
		this.rate = (limits.messagesPerSecond() > 0)
				? new TokenBucket(limits.messagesPerSecond(), limits.messageBurst()) : null;
	}

	private static String newId(ServerContext context) {
		byte[] bytes = new byte[12];
		random.nextBytes(bytes);
		return context.settings().instanceId() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * Runs the connection.
	 * @param in the WebSocket's inbound
	 * @param release releases the connection's place in the per-instance count
	 * @return completes once the connection is closed and cleaned up
	 */
	Publisher<Void> serve(WebsocketInbound in, Runnable release) {
		installFrameHandlers();
		Mono<Void> opened = open().onErrorResume((ex) -> {
			this.refused = true;
			this.failures.close(this.connection, ex);
			return Mono.empty();
		}).doOnTerminate(() -> this.openingDone = true).cache();
		// The inbound is read from the start, so that a client that drops the connection
		// while it opens ends it quietly: its messages wait until it is open, and its end
		// until the opening is done, never cancelling it halfway. Whatever happens, the
		// connection is cleaned up once its channel is closed.
		return Flux.mergeDelayError(1, opened, receive(in, opened))
			.then()
			.onErrorResume(this::inboundFailed)
			.then(this.netty.onDispose())
			.then(Mono.defer(this::finish))
			.doOnCancel(() -> finish().subscribe())
			.doFinally((signal) -> {
				this.context.connectionLog().closed(this.connection, this.refused);
				release.run();
				this.connection.terminate();
			});
	}

	// The inbound's own errors: the network connection reset or closed.
	private Mono<Void> inboundFailed(Throwable ex) {
		if (!Disconnects.isNetworkEnd(ex)) {
			this.failures.close(this.connection, ex);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Connection " + this.connection.id() + " ended: " + Disconnects.describe(ex));
		}
		return Mono.empty();
	}

	// Switchboard's own decoder and handlers take over the frames: see each class.
	private void installFrameHandlers() {
		ChannelPipeline channelPipeline = this.netty.channel().pipeline();
		boolean compressed = channelPipeline.context(WebSocketExtensionDecoder.class) != null;
		KeepAliveHandler keepAlive = new KeepAliveHandler(this.connection, this.context.settings());
		ControlFrameHandler controlFrames = new ControlFrameHandler(this.connection, compressed);
		ChannelHandlerContext decoder = channelPipeline.context(WebSocketFrameDecoder.class);
		if (decoder != null) {
			// Netty hands the bytes the old decoder buffered to its replacement.
			channelPipeline.replace(decoder.name(), decoder.name(),
					new FrameDecoder(this.socket.maxMessageSize(), compressed));
			channelPipeline.addAfter(decoder.name(), "switchboard.keepAlive", keepAlive);
		}
		else {
			channelPipeline.addFirst("switchboard.keepAlive", keepAlive);
		}
		channelPipeline.addAfter("switchboard.keepAlive", "switchboard.controlFrames", controlFrames);
		this.netty.addHandlerLast("switchboard.messageAssembler",
				new MessageAssembler(this.connection, this.socket.maxMessageSize(), compressed));
	}

	private Mono<Void> open() {
		int perUser = this.context.settings().limits().connectionsPerUser();
		// The registry may answer on its own thread: handlers start on the event loop.
		return this.context.registry()
			.register(this.connection.local(Set.of()), perUser)
			.publishOn(this.scheduler)
			.flatMap((registration) -> {
				if (registration == Registration.OVER_LIMIT) {
					this.meters.handshakeRejected(HandshakeRejection.USER_LIMIT, HttpStatus.TOO_MANY_REQUESTS);
					return Mono.error(new ConnectionRejectedException(HttpStatus.TOO_MANY_REQUESTS,
							new CloseStatus(1013), "too many connections for this user"));
				}
				this.registered = true;
				this.cameOnline = registration == Registration.CAME_ONLINE;
				this.context.local().add(this.connection);
				if (!this.context.isAccepting()) {
					// Shutdown began during the admission, after it listed the
					// connections to close.
					this.meters.handshakeRejected(HandshakeRejection.SHUTTING_DOWN, HttpStatus.SERVICE_UNAVAILABLE);
					return Mono.error(new ConnectionRejectedException(HttpStatus.SERVICE_UNAVAILABLE,
							CloseStatus.GOING_AWAY, "server shutting down"));
				}
				this.counted = true;
				this.meters.connectionOpened();
				return this.context.interceptors()
					.onConnect(this.connection, () -> this.interceptorsConnected++)
					.thenMany(onConnect())
					.doOnNext(this.connection::offer)
					.then(Mono.fromRunnable(() -> {
						StreamCursors cursors = this.connection.cursors();
						if (cursors != null) {
							// What it missed comes after what its @OnConnect sent.
							cursors.start(this.context.historyPolicy().followed(this.connection));
						}
						this.connected = true;
						this.context.connectionLog().opened(this.connection);
						// Announced once accepted: a rejected user never flickers online.
						if (this.cameOnline) {
							this.context.publish(new UserOnlineEvent(this.connection.user(), this.connection.id()));
						}
					}));
			});
	}

	private Flux<OutboundMessage> onConnect() {
		SocketHandlerMethod method = this.handler.connectMethod();
		if (method == null) {
			return Flux.empty();
		}
		return invoke(method, "@connect", SocketInvocationContext.connect(this.connection))
			.map(this.context.codec()::encode);
	}

	// Messages, the pings that came while the network did not take the client's data, and
	// a protocol failure, in the order they arrived. Each waits until the network takes
	// the client's data: meanwhile nothing more is read from the client.
	private Publisher<Void> receive(WebsocketInbound in, Mono<Void> opened) {
		Flux<Object> inbound = in.receiveObject()
			.mapNotNull(SocketSession::detach)
			.filter((item) -> !(item instanceof InboundMessage message) || withinRate(message));
		int concurrency = this.socket.concurrency();
		if (concurrency > 1 && this.socket.ordered()) {
			// Each message is handled as it arrives, and its replies wait for those
			// of the messages before it.
			return inbound
				.flatMapSequential((item) -> opened.thenMany(onEventLoop(() -> replies(item))), concurrency,
						ORDERED_PREFETCH)
				.doOnNext(this.connection::offer)
				.then();
		}
		// Once open, a message taken on the event loop is handled there and then; one
		// that the handler answers at once leaves nothing for the operator to wait on.
		Function<Object, Mono<Void>> handling = (item) -> (this.openingDone && this.eventLoop.inEventLoop())
				? process(item) : opened.then(onEventLoop(() -> process(item)).then());
		if (concurrency > 1) {
			return inbound.flatMap(handling, concurrency);
		}
		return inbound.concatMap(handling, INBOUND_PREFETCH);
	}

	// Reactor Netty releases what it received once it is passed on: a ping's payload is
	// copied before the ping waits for its turn.
	private static @Nullable Object detach(Object received) {
		if (received instanceof PingWebSocketFrame ping) {
			return new PendingPing(ByteBufUtil.getBytes(ping.content()));
		}
		return (received instanceof InboundMessage || received instanceof InboundFailure) ? received : null;
	}

	// Checked as messages arrive, on the event loop, before they wait for their turn.
	private boolean withinRate(InboundMessage message) {
		this.meters.messageReceived(message.size());
		if (this.rate == null || this.rate.tryTake()) {
			return true;
		}
		if (this.context.settings().limits().rateLimitAction() == RateLimitAction.CLOSE) {
			this.connection.close(RATE_LIMITED, false);
		}
		else {
			this.context.connectionLog().rateLimited(this.connection);
			this.connection.offer(this.failures.refusal(message, ErrorCode.RATE_LIMITED, "rate limit exceeded"));
		}
		return false;
	}

	// The next message is taken on the thread that completed the previous one (or the
	// opening), a scheduler's for a blocking handler: reactive handlers are promised the
	// event loop, and the connection's state is read there.
	private <T> Flux<T> onEventLoop(Supplier<? extends Publisher<T>> work) {
		return Flux
			.defer(() -> this.eventLoop.inEventLoop() ? work.get() : Flux.defer(work).subscribeOn(this.scheduler));
	}

	private Flux<OutboundMessage> replies(Object item) {
		if (!(item instanceof InboundMessage message)) {
			return process(item).thenMany(Flux.empty());
		}
		Mono<Void> writable = this.connection.whenWritable();
		Supplier<Flux<OutboundMessage>> replies = () -> this.refused ? Flux.empty()
				: this.pipeline.replies(this.connection, message, this.scheduler);
		return (writable != null) ? writable.thenMany(Flux.defer(replies)) : replies.get();
	}

	// What waits for the network waits before it is handled: a handler may reply at once.
	private Mono<Void> process(Object item) {
		Mono<Void> writable = this.connection.whenWritable();
		return (writable != null) ? writable.then(Mono.defer(() -> work(item))) : work(item);
	}

	private Mono<Void> work(Object item) {
		if (this.refused) {
			return Mono.empty();
		}
		if (item instanceof InboundMessage message) {
			// Failures end in the pipeline: cancelling the inbound would make Reactor
			// Netty send an empty close.
			return this.pipeline.handle(this.connection, message, this.scheduler);
		}
		if (item instanceof PendingPing ping) {
			this.connection.pong(ping.payload());
		}
		else {
			this.connection.failForProtocolError();
		}
		return Mono.empty();
	}

	private Mono<Void> finish() {
		if (!this.registered || !this.finishing.compareAndSet(false, true)) {
			return Mono.empty();
		}
		this.context.local().remove(this.connection);
		CloseStatus status = this.connection.finalStatus();
		if (this.counted) {
			this.meters.connectionClosed(status, this.connection.closedByClient());
		}
		Mono<Void> unregister = this.context.registry()
			.unregister(this.connection.info())
			.doOnNext(this::publishPresence)
			.onErrorResume((ex) -> {
				throttled.warn("unregister", () -> "Could not unregister connection " + this.connection.id(), ex);
				return Mono.empty();
			})
			.then()
			// The registry may answer on its own thread: disconnect handling runs on the
			// event loop.
			.publishOn(this.scheduler);
		// Every interceptor whose onConnect ran hears of the disconnect, even when a
		// later step rejected it.
		return unregister
			.then(this.context.interceptors().onDisconnect(this.connection, status, this.interceptorsConnected))
			.then(this.connected ? onDisconnect(status) : Mono.empty());
	}

	private Mono<Void> onDisconnect(CloseStatus status) {
		SocketHandlerMethod method = this.handler.disconnectMethod();
		if (method == null) {
			return Mono.empty();
		}
		return invoke(method, "@disconnect", SocketInvocationContext.disconnect(this.connection, status)).then()
			.onErrorResume((ex) -> {
				this.failures.disconnectFailed(method, this.connection, ex);
				return Mono.empty();
			});
	}

	private Flux<Object> invoke(SocketHandlerMethod method, String route, SocketInvocationContext invocation) {
		Observations observations = this.context.observations();
		if (observations == null) {
			return method.invoke(invocation, this.scheduler);
		}
		KeyValue socket = KeyValue.of("socket", this.socket.name());
		return Flux.defer(() -> observations.invoke(socket, route, method, invocation, this.scheduler));
	}

	private void publishPresence(boolean wentOffline) {
		if (this.connected && wentOffline) {
			this.context.publish(new UserOfflineEvent(this.connection.user(), this.connection.id()));
		}
		else if (!this.connected && this.cameOnline && !wentOffline) {
			// Rejected, but another device came meanwhile and relied on this one's
			// announcement.
			this.context.publish(new UserOnlineEvent(this.connection.user(), this.connection.id()));
		}
	}

	/**
	 * A ping that waited for the network to take the client's data.
	 */
	private record PendingPing(byte[] payload) {
	}

}
