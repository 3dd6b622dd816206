package dev.switchboard.runtime;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ConnectionRejectedException;
import dev.switchboard.ErrorCode;
import dev.switchboard.InboundMessage;
import dev.switchboard.RateLimitAction;
import dev.switchboard.SocketInterceptor;
import dev.switchboard.UserOfflineEvent;
import dev.switchboard.UserOnlineEvent;
import dev.switchboard.handler.support.OutboundMessage;
import dev.switchboard.handler.support.SocketHandler;
import dev.switchboard.handler.support.SocketSettings;
import dev.switchboard.handler.support.ThrottledLog;
import dev.switchboard.registry.ConnectionRegistry.Registration;

/**
 * The endpoint of one socket: checks the handshake, admits it, upgrades it on Reactor
 * Netty, and runs each connection from its registration to its {@code @OnDisconnect}.
 *
 * @since 0.1.0
 */
public final class SocketEndpoint implements WebHandler {

	private static final Log logger = LogFactory.getLog(SocketEndpoint.class);

	private static final ThrottledLog failures = new ThrottledLog(logger);

	private static final SecureRandom random = new SecureRandom();

	private static final int INBOUND_PREFETCH = 4;

	private static final CloseStatus RATE_LIMITED = CloseStatus.POLICY_VIOLATION.withReason("rate limit exceeded");

	private final SocketHandler handler;

	private final SocketSettings socket;

	private final ServerContext context;

	private final OriginCheck originCheck;

	private final Admission admission;

	private final SocketHandler.RouteGuard routeGuard;

	SocketEndpoint(SocketHandler handler, ServerContext context) {
		this.handler = handler;
		this.socket = handler.settings();
		this.context = context;
		this.originCheck = new OriginCheck((this.socket.allowedOrigins() != null) ? this.socket.allowedOrigins()
				: context.settings().allowedOrigins(), context.settings().allowMissingOrigin());
		this.admission = new Admission(context, this.socket);
		List<SocketInterceptor> interceptors = context.interceptors();
		this.routeGuard = interceptors.isEmpty() ? SocketHandler.RouteGuard.NONE
				: (connection, route) -> Flux.fromIterable(interceptors)
					.concatMap((interceptor) -> interceptor.beforeHandler(connection, route))
					.then();
	}

	/**
	 * The socket this endpoint serves.
	 * @return the socket's settings
	 */
	public SocketSettings socket() {
		return this.socket;
	}

	/**
	 * Whether a request asks for a WebSocket upgrade; other requests to the path fall
	 * through to the application's other handlers.
	 * @param exchange the exchange
	 * @return {@code true} for an upgrade request
	 */
	public static boolean isUpgrade(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		String upgrade = request.getHeaders().getUpgrade();
		return HttpMethod.GET.equals(request.getMethod()) && "websocket".equalsIgnoreCase(upgrade);
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		if (!this.context.isAccepting()) {
			return reject(exchange, HttpStatus.SERVICE_UNAVAILABLE, "server is not accepting connections");
		}
		if (!"13".equals(request.getHeaders().getFirst("Sec-WebSocket-Version"))) {
			exchange.getResponse().getHeaders().set("Sec-WebSocket-Version", "13");
			return reject(exchange, HttpStatus.UPGRADE_REQUIRED, "unsupported WebSocket version");
		}
		String problem = handshakeProblem(request.getHeaders());
		if (problem != null) {
			return reject(exchange, HttpStatus.BAD_REQUEST, problem);
		}
		if (!this.originCheck.allows(request)) {
			return reject(exchange, HttpStatus.FORBIDDEN, "origin not allowed");
		}
		List<String> offered = request.getHeaders().getValuesAsList("Sec-WebSocket-Protocol");
		List<String> applicationProtocols = withoutToken(offered);
		String protocol = selectProtocol(applicationProtocols);
		if (protocol == null && !applicationProtocols.isEmpty() && !this.socket.subprotocols().isEmpty()) {
			return reject(exchange, HttpStatus.BAD_REQUEST, "none of the offered subprotocols is supported");
		}
		if (protocol == null && applicationProtocols.size() < offered.size()) {
			// A browser that offered its token needs an answer among its offers: the
			// marker.
			protocol = this.context.settings().security().tokenSubprotocol();
		}
		String selected = protocol;
		return onEventLoop(exchange, this.admission.admit(exchange, offered))
			.flatMap((handshake) -> upgrade(exchange, handshake, selected))
			.onErrorResume(HandshakeRejectedException.class, (ex) -> refuse(exchange, ex, selected))
			.onErrorResume((ex) -> {
				if (Disconnects.isDisconnect(ex, channelOf(exchange))) {
					// The client went away, or its handshake timed out, while it was
					// admitted.
					if (logger.isDebugEnabled()) {
						logger.debug(
								"Handshake for socket '" + this.socket.name() + "' ended: " + Disconnects.describe(ex));
					}
					return Mono.empty();
				}
				failures.error("handshake", () -> "Handshake for socket '" + this.socket.name() + "' failed", ex);
				return reject(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
			});
	}

	private static @Nullable Channel channelOf(ServerWebExchange exchange) {
		HttpServerResponse response = ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse());
		return (response instanceof Connection connection) ? connection.channel() : null;
	}

	// Admission may end on another thread: a Redis round trip, an authenticator. The
	// upgrade must go on on the channel's event loop: from another thread, a frame that
	// the client sends as soon as it reads the 101 can reach Reactor Netty before the
	// WebSocket takes the channel over, and be dropped (a close never answered).
	private static <T> Mono<T> onEventLoop(ServerWebExchange exchange, Mono<T> result) {
		HttpServerResponse response = ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse());
		if (!(response instanceof Connection connection)) {
			return result;
		}
		EventLoop eventLoop = connection.channel().eventLoop();
		return result.materialize()
			.flatMap((signal) -> eventLoop.inEventLoop() ? Mono.just(signal)
					: Mono.just(signal).publishOn(Schedulers.fromExecutor(eventLoop)))
			.dematerialize();
	}

	private List<String> withoutToken(List<String> offered) {
		String marker = this.context.settings().security().tokenSubprotocol();
		int index = marker.isEmpty() ? -1 : offered.indexOf(marker);
		if (index < 0) {
			return offered;
		}
		List<String> protocols = new ArrayList<>(offered);
		protocols.remove(index);
		if (index < protocols.size()) {
			protocols.remove(index);
		}
		return protocols;
	}

	private static @Nullable String handshakeProblem(HttpHeaders headers) {
		boolean upgrade = headers.getConnection().stream().anyMatch("upgrade"::equalsIgnoreCase);
		if (!upgrade) {
			return "the Connection header must include \"upgrade\"";
		}
		if (!isValidKey(headers.getFirst("Sec-WebSocket-Key"))) {
			return "the Sec-WebSocket-Key header must be 16 bytes in base64";
		}
		return null;
	}

	private static boolean isValidKey(@Nullable String key) {
		try {
			return key != null && Base64.getDecoder().decode(key.trim()).length == 16;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private @Nullable String selectProtocol(List<String> offered) {
		for (String supported : this.socket.subprotocols()) {
			if (offered.contains(supported)) {
				return supported;
			}
		}
		return null;
	}

	private Mono<Void> refuse(ServerWebExchange exchange, HandshakeRejectedException rejection,
			@Nullable String protocol) {
		HttpStatus status = rejection.status();
		boolean policy = status == HttpStatus.UNAUTHORIZED || status == HttpStatus.FORBIDDEN
				|| status == HttpStatus.TOO_MANY_REQUESTS;
		if (!policy || !this.context.settings().security().rejectAfterUpgrade()) {
			if (status == HttpStatus.UNAUTHORIZED && this.context.authenticator() != null) {
				exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
			}
			return reject(exchange, status, rejection.getMessage());
		}
		// Browsers see only an error event for a refused handshake, but read a close
		// reason.
		this.context.metrics().handshakeRejected(this.socket.name(), status);
		HttpServerResponse response = ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse());
		WebsocketServerSpec.Builder spec = WebsocketServerSpec.builder().handlePing(false);
		if (protocol != null) {
			spec.protocols(protocol);
		}
		CloseStatus close = NettySocketConnection.fit(
				((status == HttpStatus.TOO_MANY_REQUESTS) ? CloseStatus.SERVICE_OVERLOAD : CloseStatus.POLICY_VIOLATION)
					.withReason(rejection.getMessage()));
		return exchange.getResponse()
			.setComplete()
			.then(Mono.defer(() -> response.sendWebsocket(
					(in, out) -> out.sendClose(close.getCode(), close.getReason()).then(in.receive().then()),
					spec.build())));
	}

	private Mono<Void> reject(ServerWebExchange exchange, HttpStatus status, String reason) {
		this.context.metrics().handshakeRejected(this.socket.name(), status);
		if (logger.isDebugEnabled()) {
			logger.debug("Refused handshake for socket '" + this.socket.name() + "' with " + status + ": " + reason);
		}
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		byte[] body = this.context.codec().encode(Map.of("error", reason)).bytes();
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	private Mono<Void> upgrade(ServerWebExchange exchange, DefaultSocketHandshake admitted, @Nullable String protocol) {
		Runnable release = admitted.permit();
		Handshake handshake = admitted.toHandshake(protocol);
		HttpServerResponse response = ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse());
		WebsocketServerSpec.Builder spec = WebsocketServerSpec.builder()
			.maxFramePayloadLength(this.socket.maxMessageSize())
			.maxDecompressionBufferSize(this.socket.maxMessageSize())
			// Pings reach the pipeline: FrameGuard answers them through the outbound
			// buffer, and lets those that must wait through to the inbound.
			.handlePing(true)
			.compress(this.context.settings().compression());
		if (protocol != null) {
			spec.protocols(protocol);
		}
		// Commit the response first, as Spring's upgrade strategy does, for its
		// pre-commit actions to run.
		return exchange.getResponse()
			.setComplete()
			.then(Mono.defer(() -> response.sendWebsocket((in, out) -> serve(in, handshake, release), spec.build())))
			.doOnError((ex) -> release.run())
			.doOnCancel(release);
	}

	private Publisher<Void> serve(WebsocketInbound in, Handshake handshake, Runnable release) {
		Connection[] netty = new Connection[1];
		in.withConnection((connection) -> netty[0] = connection);
		NettySocketConnection connection = new NettySocketConnection(newId(), this.socket.name(), handshake,
				netty[0].channel(), this.context);
		install(netty[0], connection);
		Lifecycle lifecycle = new Lifecycle(netty[0].channel().eventLoop(), this.context.settings().limits());
		Mono<Void> opened = open(connection, lifecycle).onErrorResume((ex) -> {
			lifecycle.refused = true;
			closeAfterFailure(connection, ex);
			return Mono.empty();
		}).cache();
		// The inbound is read from the start, so that a client that drops the connection
		// while it opens ends it quietly: its messages wait until it is open, and its end
		// until the opening is done, never cancelling it halfway. Whatever happens, the
		// connection is cleaned up once its channel is closed.
		return Flux.mergeDelayError(1, opened, receive(in, connection, lifecycle, opened))
			.then()
			.onErrorResume((ex) -> {
				// The inbound's own errors: the network connection reset or closed.
				if (Disconnects.isNetworkEnd(ex)) {
					if (logger.isDebugEnabled()) {
						logger.debug("Connection " + connection.id() + " ended: " + Disconnects.describe(ex));
					}
				}
				else {
					closeAfterFailure(connection, ex);
				}
				return Mono.empty();
			})
			.then(netty[0].onDispose())
			.then(Mono.defer(() -> finish(connection, lifecycle)))
			.doOnCancel(() -> finish(connection, lifecycle).subscribe())
			.doFinally((signal) -> {
				release.run();
				connection.terminate();
			});
	}

	private String newId() {
		byte[] bytes = new byte[12];
		random.nextBytes(bytes);
		return this.context.settings().instanceId() + "."
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private void install(Connection netty, NettySocketConnection connection) {
		ChannelPipeline pipeline = netty.channel().pipeline();
		boolean compressed = pipeline.context(WebSocketExtensionDecoder.class) != null;
		FrameGuard guard = new FrameGuard(connection, compressed, this.context.settings());
		ChannelHandlerContext decoder = pipeline.context(WebSocketFrameDecoder.class);
		if (decoder != null) {
			// Netty hands the bytes the old decoder buffered to its replacement.
			pipeline.replace(decoder.name(), decoder.name(),
					new FrameDecoder(this.socket.maxMessageSize(), compressed));
			pipeline.addAfter(decoder.name(), "switchboard.frameGuard", guard);
		}
		else {
			pipeline.addFirst("switchboard.frameGuard", guard);
		}
		netty.addHandlerLast("switchboard.utf8Validator", new Utf8FrameValidator(false));
		netty.addHandlerLast("switchboard.messageAssembler",
				new MessageAssembler(connection, this.socket.maxMessageSize(), compressed));
	}

	private Mono<Void> open(NettySocketConnection connection, Lifecycle lifecycle) {
		int perUser = this.context.settings().limits().connectionsPerUser();
		// The registry may answer on its own thread: handlers start on the event loop.
		return this.context.registry()
			.register(connection.info(), perUser)
			.publishOn(lifecycle.scheduler)
			.flatMap((registration) -> {
				if (registration == Registration.OVER_LIMIT) {
					return Mono.error(new ConnectionRejectedException(HttpStatus.TOO_MANY_REQUESTS,
							new CloseStatus(1013), "too many connections for this user"));
				}
				lifecycle.registered = true;
				lifecycle.cameOnline = registration == Registration.CAME_ONLINE;
				this.context.local().add(connection);
				if (!this.context.isAccepting()) {
					// Shutdown began during the admission, after it listed the
					// connections to close.
					return Mono.error(new ConnectionRejectedException(HttpStatus.SERVICE_UNAVAILABLE,
							CloseStatus.GOING_AWAY, "server shutting down"));
				}
				this.context.metrics().connectionOpened(this.socket.name());
				return Flux.fromIterable(this.context.interceptors())
					.concatMap((interceptor) -> interceptor.onConnect(connection)
						.then(Mono.fromRunnable(() -> lifecycle.interceptorsConnected++)))
					.thenMany(this.handler.connect(connection))
					.doOnNext(connection::offer)
					.then(Mono.fromRunnable(() -> {
						lifecycle.connected = true;
						// Announced once accepted: a rejected user never flickers online.
						if (lifecycle.cameOnline) {
							this.context.publish(new UserOnlineEvent(connection.user(), connection.id()));
						}
					}));
			});
	}

	// Messages, the pings that came while the network did not take the client's data, and
	// a protocol failure, in the order they arrived. Each waits until the network takes
	// the client's data: meanwhile nothing more is read from the client.
	private Flux<Void> receive(WebsocketInbound in, NettySocketConnection connection, Lifecycle lifecycle,
			Mono<Void> opened) {
		Flux<Object> inbound = in.receiveObject()
			.mapNotNull(SocketEndpoint::detach)
			.filter((item) -> !(item instanceof InboundMessage message) || withinRate(connection, lifecycle, message));
		Function<Object, Mono<Void>> handling = (item) -> opened
			.then(onEventLoop(() -> process(connection, lifecycle, item), lifecycle));
		if (this.socket.concurrency() > 1) {
			return inbound.flatMap(handling, this.socket.concurrency());
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

	private Mono<Void> process(NettySocketConnection connection, Lifecycle lifecycle, Object item) {
		Mono<Void> work;
		if (lifecycle.refused) {
			return Mono.empty();
		}
		if (item instanceof InboundMessage message) {
			work = handle(connection, message);
		}
		else if (item instanceof PendingPing ping) {
			work = Mono.fromRunnable(() -> connection.pong(ping.payload()));
		}
		else {
			work = Mono.fromRunnable(connection::fail);
		}
		Mono<Void> writable = connection.whenWritable();
		return (writable != null) ? writable.then(work) : work;
	}

	// Checked as messages arrive, on the event loop, before they wait for their turn.
	private boolean withinRate(NettySocketConnection connection, Lifecycle lifecycle, InboundMessage message) {
		this.context.metrics().messageReceived(this.socket.name(), message.size());
		if (lifecycle.rate == null || lifecycle.rate.tryTake()) {
			return true;
		}
		if (this.context.settings().limits().rateLimitAction() == RateLimitAction.CLOSE) {
			connection.close(RATE_LIMITED, false);
		}
		else {
			connection.offer(this.handler.refuse(message, ErrorCode.RATE_LIMITED, "rate limit exceeded"));
		}
		return false;
	}

	// The next message is taken on the thread that completed the previous one (or the
	// opening), a scheduler's for a blocking handler: reactive handlers are promised the
	// event loop, and the connection's state is read there.
	private static Mono<Void> onEventLoop(Supplier<Mono<Void>> work, Lifecycle lifecycle) {
		return Mono.defer(() -> lifecycle.eventLoop.inEventLoop() ? work.get()
				: Mono.defer(work).subscribeOn(lifecycle.scheduler));
	}

	private Mono<Void> handle(NettySocketConnection connection, InboundMessage message) {
		Flux<OutboundMessage> replies;
		if (this.context.interceptors().isEmpty()) {
			replies = this.handler.message(connection, message, this.routeGuard);
		}
		else {
			Mono<InboundMessage> intercepted = Mono.just(message);
			for (SocketInterceptor interceptor : this.context.interceptors()) {
				intercepted = intercepted.flatMap((current) -> interceptor.onMessage(connection, current));
			}
			replies = intercepted.flatMapMany((current) -> this.handler.message(connection, current, this.routeGuard));
		}
		return replies
			.onErrorResume(ClientErrorException.class,
					(ex) -> Mono.just(this.handler.refuse(message, ex.getCode(), ex.getMessage())))
			.doOnNext(connection::offer)
			.then()
			// Failures end here: cancelling the inbound would make Reactor Netty send an
			// empty close.
			.onErrorResume((ex) -> {
				closeAfterFailure(connection, ex);
				return Mono.empty();
			});
	}

	private void closeAfterFailure(NettySocketConnection connection, Throwable ex) {
		if (ex instanceof ConnectionRejectedException rejected) {
			connection.close(rejected.getCloseStatus(), false);
		}
		else if (ex instanceof ClientErrorException clientError) {
			connection.close(CloseStatus.POLICY_VIOLATION.withReason(clientError.getMessage()), false);
		}
		else if (Disconnects.isDisconnect(ex, connection.channel())) {
			// The client went away: the channel is closed, and the connection cleaned up.
			if (logger.isDebugEnabled()) {
				logger.debug("Connection " + connection.id() + " ended: " + Disconnects.describe(ex));
			}
		}
		else {
			failures.error("connection",
					() -> "Connection " + connection.id() + " of socket '" + this.socket.name() + "' failed", ex);
			connection.close(CloseStatus.SERVER_ERROR.withReason("internal error"), false);
		}
	}

	private Mono<Void> finish(NettySocketConnection connection, Lifecycle lifecycle) {
		if (!lifecycle.registered || !lifecycle.finishing.compareAndSet(false, true)) {
			return Mono.empty();
		}
		this.context.local().remove(connection);
		CloseStatus status = connection.finalStatus();
		this.context.metrics().connectionClosed(this.socket.name(), status);
		Mono<Void> unregister = this.context.registry()
			.unregister(connection.info())
			.doOnNext((wentOffline) -> publishPresence(connection, lifecycle, wentOffline))
			.onErrorResume((ex) -> {
				failures.warn("unregister", () -> "Could not unregister connection " + connection.id(), ex);
				return Mono.empty();
			})
			.then()
			// The registry may answer on its own thread: disconnect handling runs on the
			// event loop.
			.publishOn(lifecycle.scheduler);
		// Every interceptor whose onConnect ran hears of the disconnect, even when a
		// later step rejected it.
		Mono<Void> interceptors = Flux.fromIterable(this.context.interceptors())
			.take(lifecycle.interceptorsConnected)
			.concatMap((interceptor) -> interceptor.onDisconnect(connection, status).onErrorResume((ex) -> {
				failures.error("interceptor:" + interceptor.getClass().getName(),
						() -> "Interceptor " + interceptor + " failed on the disconnect of " + connection.id(), ex);
				return Mono.empty();
			}))
			.then();
		return unregister.then(interceptors)
			.then(lifecycle.connected ? this.handler.disconnect(connection, status) : Mono.empty());
	}

	private void publishPresence(NettySocketConnection connection, Lifecycle lifecycle, boolean wentOffline) {
		if (lifecycle.connected && wentOffline) {
			this.context.publish(new UserOfflineEvent(connection.user(), connection.id()));
		}
		else if (!lifecycle.connected && lifecycle.cameOnline && !wentOffline) {
			// Rejected, but another device came meanwhile and relied on this one's
			// announcement.
			this.context.publish(new UserOnlineEvent(connection.user(), connection.id()));
		}
	}

	/**
	 * A ping that waited for the network to take the client's data.
	 */
	private record PendingPing(byte[] payload) {
	}

	/**
	 * How far a connection got, so that only what was done is undone, and what it runs
	 * on.
	 */
	private static final class Lifecycle {

		private final EventLoop eventLoop;

		private final Scheduler scheduler;

		private final @Nullable TokenBucket rate;

		private final AtomicBoolean finishing = new AtomicBoolean();

		private volatile boolean registered;

		private volatile boolean connected;

		private volatile boolean cameOnline;

		private volatile boolean refused;

		private volatile int interceptorsConnected;

		Lifecycle(EventLoop eventLoop, ServerSettings.Limits limits) {
			this.eventLoop = eventLoop;
			this.scheduler = Schedulers.fromExecutorService(eventLoop);
			this.rate = (limits.messagesPerSecond() > 0)
					? new TokenBucket(limits.messagesPerSecond(), limits.messageBurst()) : null;
		}

	}

}
