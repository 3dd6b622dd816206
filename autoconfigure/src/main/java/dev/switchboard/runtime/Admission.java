package dev.switchboard.runtime;

import java.security.Principal;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ConnectionRejectedException;
import dev.switchboard.ErrorCode;
import dev.switchboard.SocketAuthenticator;
import dev.switchboard.handler.support.SocketSettings;
import dev.switchboard.runtime.SwitchboardMetrics.HandshakeRejection;

/**
 * Decides whether a handshake may be upgraded, once the request is a valid WebSocket
 * handshake from an allowed origin: the per-instance limit, the user (from Spring
 * Security, else from a token the authenticator accepts), whether the socket needs one,
 * the per-user limit, and the interceptors. Tokens are never logged.
 */
final class Admission {

	private static final Log logger = LogFactory.getLog(Admission.class);

	private static final String BEARER = "bearer ";

	private final ServerContext context;

	private final SocketSettings socket;

	Admission(ServerContext context, SocketSettings socket) {
		this.context = context;
		this.socket = socket;
	}

	/**
	 * Admits a handshake, counting it against the per-instance limit until released.
	 * @param exchange the exchange
	 * @param offered the subprotocols the client offered
	 * @return the admitted handshake; a {@link HandshakeRejectedException} when refused
	 */
	Mono<DefaultSocketHandshake> admit(ServerWebExchange exchange, List<String> offered) {
		int limit = this.context.settings().limits().connectionsPerInstance();
		// Counted since its accept; else, as on a connection that served plain HTTP
		// before, from now on.
		HandshakeGuard guard = guardOf(exchange);
		boolean counted = guard != null && guard.takePermit();
		if (counted ? !this.context.withinLimit(limit) : !this.context.admit(limit)) {
			if (counted) {
				this.context.release();
			}
			return Mono.error(new HandshakeRejectedException(HandshakeRejection.INSTANCE_LIMIT,
					HttpStatus.TOO_MANY_REQUESTS, "too many connections on this server"));
		}
		// Released by a refusal, or by the connection once it ends: Reactor may signal
		// both a cancel here and the end there.
		ServerContext.Permit permit = this.context.permit();
		DefaultSocketHandshake handshake = new DefaultSocketHandshake(this.socket.name(), exchange, offered, permit);
		// Interceptors come after authentication and may authenticate too; then the user
		// is checked.
		return exchange.getPrincipal()
			.filter((principal) -> !isAnonymous(principal))
			.doOnNext(handshake::authenticate)
			.then(Mono.defer(() -> (handshake.principal() != null) ? Mono.empty() : authenticate(handshake)))
			.then(Mono.defer(() -> intercept(handshake)))
			.then(Mono.defer(() -> checkUser(handshake)))
			.onErrorMap(HandshakeRejectedException.class, (ex) -> ex.forUser(userOf(handshake)))
			.thenReturn(handshake)
			.doOnError((ex) -> permit.run())
			.doOnCancel(permit);
	}

	private static @Nullable String userOf(DefaultSocketHandshake handshake) {
		Principal principal = handshake.principal();
		return (principal != null) ? principal.getName() : null;
	}

	private static @Nullable HandshakeGuard guardOf(ServerWebExchange exchange) {
		HttpServerResponse response = ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse());
		return (response instanceof Connection connection) ? HandshakeGuard.of(connection.channel()) : null;
	}

	private Mono<Void> authenticate(DefaultSocketHandshake handshake) {
		SocketAuthenticator authenticator = this.context.authenticator();
		String token = (authenticator != null) ? token(handshake) : null;
		if (authenticator == null || token == null) {
			return Mono.empty();
		}
		return authenticator.authenticate(token, handshake).doOnNext(handshake::authenticate).onErrorResume((ex) -> {
			logger.debug("The authenticator rejected a token for socket '" + this.socket.name() + "': "
					+ ex.getClass().getSimpleName());
			return Mono.empty();
		})
			.switchIfEmpty(Mono.error(() -> new HandshakeRejectedException(HandshakeRejection.INVALID_TOKEN,
					HttpStatus.UNAUTHORIZED, "invalid token")))
			.then();
	}

	private @Nullable String token(DefaultSocketHandshake handshake) {
		ServerSettings.Security security = this.context.settings().security();
		if (!security.tokenHeader().isEmpty()) {
			String header = handshake.headers().getFirst(security.tokenHeader());
			if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
					&& !header.substring(BEARER.length()).isBlank()) {
				return header.substring(BEARER.length()).trim();
			}
		}
		if (!security.tokenSubprotocol().isEmpty()) {
			List<String> offered = handshake.offeredSubprotocols();
			int marker = offered.indexOf(security.tokenSubprotocol());
			if (marker >= 0 && marker + 1 < offered.size() && !offered.get(marker + 1).isBlank()) {
				return offered.get(marker + 1);
			}
		}
		if (security.tokenCookie() != null) {
			HttpCookie cookie = handshake.cookies().getFirst(security.tokenCookie());
			if (cookie != null && !cookie.getValue().isBlank()) {
				return cookie.getValue();
			}
		}
		// An empty value, such as ?access_token=, is no token, in every source.
		String parameter = (security.tokenQueryParameter() != null)
				? handshake.queryParams().getFirst(security.tokenQueryParameter()) : null;
		return (parameter != null && !parameter.isBlank()) ? parameter : null;
	}

	// Spring Security's anonymous authentication is no user: anonymous visitors would
	// otherwise all be one user named anonymousUser.
	private static boolean isAnonymous(Principal principal) {
		for (Class<?> type = principal.getClass(); type != null; type = type.getSuperclass()) {
			if (type.getName().equals("org.springframework.security.authentication.AnonymousAuthenticationToken")) {
				return true;
			}
		}
		return false;
	}

	private Mono<Void> checkUser(DefaultSocketHandshake handshake) {
		Principal principal = handshake.principal();
		if (principal == null) {
			boolean required = this.socket.authenticated()
					|| this.context.settings().security().requireAuthentication();
			return required ? Mono.error(new HandshakeRejectedException(HandshakeRejection.UNAUTHENTICATED,
					HttpStatus.UNAUTHORIZED, "authentication required")) : Mono.empty();
		}
		int limit = this.context.settings().limits().connectionsPerUser();
		if (limit <= 0) {
			return Mono.empty();
		}
		// An early answer: the registration enforces the limit atomically, closing with
		// 1013.
		return this.context.registry()
			.countConnections(principal.getName())
			.onErrorResume((ex) -> Mono.just(0))
			.flatMap(
					(count) -> (count >= limit)
							? Mono.error(new HandshakeRejectedException(HandshakeRejection.USER_LIMIT,
									HttpStatus.TOO_MANY_REQUESTS, "too many connections for this user"))
							: Mono.empty());
	}

	private Mono<Void> intercept(DefaultSocketHandshake handshake) {
		return this.context.interceptors()
			.beforeHandshake(handshake)
			.onErrorMap(ConnectionRejectedException.class,
					(ex) -> new HandshakeRejectedException(HandshakeRejection.INTERCEPTOR, ex.getHttpStatus(),
							ex.getMessage()))
			.onErrorMap(ClientErrorException.class,
					(ex) -> new HandshakeRejectedException(HandshakeRejection.INTERCEPTOR, status(ex.getCode()),
							ex.getMessage()));
	}

	private static HttpStatus status(ErrorCode code) {
		return switch (code) {
			case FORBIDDEN -> HttpStatus.FORBIDDEN;
			case RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
			case NOT_FOUND -> HttpStatus.NOT_FOUND;
			case TIMEOUT -> HttpStatus.SERVICE_UNAVAILABLE;
			case INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
			case BAD_REQUEST -> HttpStatus.BAD_REQUEST;
		};
	}

}
