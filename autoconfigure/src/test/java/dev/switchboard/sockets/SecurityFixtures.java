package dev.switchboard.sockets;

import java.nio.charset.StandardCharsets;
import java.security.Principal;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Mono;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ConnectionRejectedException;
import dev.switchboard.ErrorCode;
import dev.switchboard.InboundMessage;
import dev.switchboard.SocketAuthenticator;
import dev.switchboard.SocketConnection;
import dev.switchboard.SocketHandshake;
import dev.switchboard.SocketInterceptor;

/**
 * Authentication and authorization of the test application: tokens {@code token-<user>},
 * and an interceptor that guards the vault socket, enriches connections, censors a word
 * and keeps private rooms private.
 */
@Configuration(proxyBeanMethods = false)
class SecurityFixtures {

	@Bean
	SocketAuthenticator tokenAuthenticator() {
		return (token, handshake) -> {
			if (token.startsWith("token-")) {
				Principal principal = () -> token.substring("token-".length());
				return Mono.just(principal);
			}
			if (token.equals("explode")) {
				return Mono.error(new IllegalStateException("token service down"));
			}
			return Mono.empty();
		};
	}

	@Bean
	SocketInterceptor guard(EventLog events) {
		return new SocketInterceptor() {

			@Override
			public Mono<Void> beforeHandshake(SocketHandshake handshake) {
				String apiKey = handshake.headers().getFirst("X-Api-Key");
				if ("banned".equals(apiKey)) {
					return Mono.error(new ClientErrorException(ErrorCode.FORBIDDEN, "banned key"));
				}
				if (apiKey != null && apiKey.startsWith("key-of-")) {
					Principal principal = () -> apiKey.substring("key-of-".length());
					handshake.authenticate(principal);
				}
				if (handshake.socket().equals("vault")) {
					Principal principal = handshake.principal();
					if (principal == null || !principal.getName().equals("admin")) {
						return Mono.error(new ConnectionRejectedException(HttpStatus.FORBIDDEN,
								CloseStatus.POLICY_VIOLATION, "admins only"));
					}
					handshake.attributes().put("clearance", "top");
				}
				return Mono.empty();
			}

			@Override
			public Mono<Void> onConnect(SocketConnection connection) {
				if (connection.socket().equals("rejecting")) {
					events.record("interceptor connected " + connection.id());
				}
				if (connection.socket().equals("vault")) {
					connection.attributes().put("greeted", true);
				}
				return Mono.empty();
			}

			@Override
			public Mono<InboundMessage> onMessage(SocketConnection connection, InboundMessage message) {
				if (!connection.socket().equals("vault")) {
					return Mono.just(message);
				}
				String text = message.text();
				if (text.contains("classified")) {
					return Mono.error(new ClientErrorException(ErrorCode.FORBIDDEN, "that word is forbidden"));
				}
				if (text.contains("ignore me")) {
					return Mono.empty();
				}
				return Mono
					.just(InboundMessage.text(text.replace("secret", "******").getBytes(StandardCharsets.UTF_8)));
			}

			@Override
			public Mono<Void> beforeHandler(SocketConnection connection, String route) {
				if (route.equals("shred") && !"root".equals(connection.user())) {
					return Mono.error(new ClientErrorException(ErrorCode.FORBIDDEN, "only root may shred"));
				}
				if (route.equals("seal")) {
					return Mono.error(new AccessDeniedException("the vault is sealed"));
				}
				if (route.equals("melt")) {
					return Mono.error(new IllegalStateException("policy service down"));
				}
				return Mono.empty();
			}

			@Override
			public Mono<Void> onJoin(SocketConnection connection, String room) {
				if (room.startsWith("private-") && !"vip".equals(connection.user())) {
					return Mono.error(new ClientErrorException(ErrorCode.FORBIDDEN, "room " + room + " is private"));
				}
				return Mono.empty();
			}

			@Override
			public Mono<Void> onDisconnect(SocketConnection connection, CloseStatus status) {
				if (connection.socket().equals("vault")) {
					events.record("vault closed " + connection.id());
				}
				if (connection.socket().equals("rejecting")) {
					events.record("interceptor disconnected " + connection.id());
				}
				return Mono.empty();
			}

		};
	}

}
