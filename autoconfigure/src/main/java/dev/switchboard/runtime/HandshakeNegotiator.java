package dev.switchboard.runtime;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
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
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;

import dev.switchboard.handler.support.SocketHandler;
import dev.switchboard.handler.support.SocketSettings;
import dev.switchboard.runtime.SwitchboardMetrics.HandshakeRejection;
import dev.switchboard.runtime.SwitchboardMetrics.SocketMetrics;

/**
 * The endpoint of one socket: checks a handshake against RFC 6455, the allowed origins
 * and the subprotocols (the token's marker included), has the {@link Admission} admit it,
 * and refuses it with a status and an {@code {"error": ...}} body, or with a close after
 * the upgrade; or upgrades it on the channel's event loop and hands the connection to a
 * {@link SocketSession}.
 *
 * @since 0.1.0
 */
public final class HandshakeNegotiator implements WebHandler {

	private static final Log logger = LogFactory.getLog(HandshakeNegotiator.class);

	private static final ThrottledLog throttled = new ThrottledLog(logger);

	private final SocketHandler handler;

	private final SocketSettings socket;

	private final ServerContext context;

	private final OriginCheck originCheck;

	private final Admission admission;

	private final Failures failures;

	private final InboundPipeline pipeline;

	private final SocketMetrics meters;

	HandshakeNegotiator(SocketHandler handler, ServerContext context) {
		this.handler = handler;
		this.socket = handler.settings();
		this.context = context;
		this.originCheck = new OriginCheck((this.socket.allowedOrigins() != null) ? this.socket.allowedOrigins()
				: context.settings().allowedOrigins(), context.settings().allowMissingOrigin());
		this.admission = new Admission(context, this.socket);
		this.meters = context.metrics().socket(this.socket.name());
		this.failures = new Failures(handler, context.codec(), this.meters);
		this.pipeline = new InboundPipeline(handler, context.interceptors(), context.codec(), this.failures,
				context.observations());
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
			return reject(exchange, HandshakeRejection.SHUTTING_DOWN, HttpStatus.SERVICE_UNAVAILABLE,
					"server is not accepting connections");
		}
		if (!"13".equals(request.getHeaders().getFirst("Sec-WebSocket-Version"))) {
			exchange.getResponse().getHeaders().set("Sec-WebSocket-Version", "13");
			return reject(exchange, HandshakeRejection.VERSION, HttpStatus.UPGRADE_REQUIRED,
					"unsupported WebSocket version");
		}
		String problem = handshakeProblem(request.getHeaders());
		if (problem != null) {
			return reject(exchange, HandshakeRejection.BAD_REQUEST, HttpStatus.BAD_REQUEST, problem);
		}
		if (!this.originCheck.allows(request)) {
			return reject(exchange, HandshakeRejection.ORIGIN, HttpStatus.FORBIDDEN, "origin not allowed");
		}
		List<String> offered = request.getHeaders().getValuesAsList("Sec-WebSocket-Protocol");
		List<String> applicationProtocols = withoutToken(offered);
		String protocol = selectProtocol(applicationProtocols);
		if (protocol == null && !applicationProtocols.isEmpty() && !this.socket.subprotocols().isEmpty()) {
			return reject(exchange, HandshakeRejection.SUBPROTOCOL, HttpStatus.BAD_REQUEST,
					"none of the offered subprotocols is supported");
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
				throttled.error("handshake", () -> "Handshake for socket '" + this.socket.name() + "' failed", ex);
				return reject(exchange, HandshakeRejection.ERROR, HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
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
			return reject(exchange, rejection.rejection(), status, rejection.getMessage(), rejection.user());
		}
		// Browsers see only an error event for a refused handshake, but read a close
		// reason.
		this.meters.handshakeRejected(rejection.rejection(), status);
		this.context.connectionLog()
			.handshakeRefused(this.socket.name(), rejection.user(), exchange.getRequest().getRemoteAddress(), status,
					rejection.getMessage());
		HttpServerResponse response = ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse());
		WebsocketServerSpec.Builder spec = WebsocketServerSpec.builder().handlePing(false);
		if (protocol != null) {
			spec.protocols(protocol);
		}
		CloseStatus close = CloseState.fitToFrame(
				((status == HttpStatus.TOO_MANY_REQUESTS) ? CloseStatus.SERVICE_OVERLOAD : CloseStatus.POLICY_VIOLATION)
					.withReason(rejection.getMessage()));
		return exchange.getResponse()
			.setComplete()
			.then(Mono.defer(() -> response.sendWebsocket(
					(in, out) -> out.sendClose(close.getCode(), close.getReason()).then(in.receive().then()),
					spec.build())));
	}

	private Mono<Void> reject(ServerWebExchange exchange, HandshakeRejection rejection, HttpStatus status,
			String reason) {
		return reject(exchange, rejection, status, reason, null);
	}

	private Mono<Void> reject(ServerWebExchange exchange, HandshakeRejection rejection, HttpStatus status,
			String reason, @Nullable String user) {
		this.meters.handshakeRejected(rejection, status);
		this.context.connectionLog()
			.handshakeRefused(this.socket.name(), user, exchange.getRequest().getRemoteAddress(), status, reason);
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		byte[] body = this.context.codec().encode(Map.of("error", reason)).bytes();
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	private Mono<Void> upgrade(ServerWebExchange exchange, DefaultSocketHandshake admitted, @Nullable String protocol) {
		Runnable release = admitted.permit();
		AcceptedHandshake handshake = admitted.toHandshake(protocol);
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
		return exchange.getResponse().setComplete().then(Mono.defer(() -> response.sendWebsocket((in, out) -> {
			Connection[] netty = new Connection[1];
			in.withConnection((connection) -> netty[0] = connection);
			return new SocketSession(this.handler, this.context, this.pipeline, this.failures, this.meters, netty[0],
					handshake)
				.serve(in, release);
		}, spec.build()))).doOnError((ex) -> release.run()).doOnCancel(release);
	}

}
