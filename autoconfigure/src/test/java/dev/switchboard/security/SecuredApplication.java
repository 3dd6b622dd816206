package dev.switchboard.security;

import java.security.Principal;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Mono;

import dev.switchboard.ConnectionRejectedException;
import dev.switchboard.SocketAuthenticator;
import dev.switchboard.SocketConnection;
import dev.switchboard.SocketHandshake;
import dev.switchboard.SocketInterceptor;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

/**
 * An application that authenticates the upgrade with Spring Security (HTTP Basic) and
 * authorizes one socket by role with an interceptor; a token authenticator serves the
 * handshakes Spring Security leaves unauthenticated.
 */
@SpringBootApplication
@EnableReactiveMethodSecurity
class SecuredApplication {

	@Bean
	SecurityWebFilterChain security(ServerHttpSecurity http) {
		return http
			.authorizeExchange((exchanges) -> exchanges.pathMatchers("/ws/lobby")
				.permitAll()
				.pathMatchers("/ws/**")
				.authenticated()
				.anyExchange()
				.permitAll())
			.httpBasic(Customizer.withDefaults())
			.build();
	}

	@Bean
	MapReactiveUserDetailsService users() {
		return new MapReactiveUserDetailsService(User.withUsername("alice").password("{noop}pw").roles("USER").build(),
				User.withUsername("bob").password("{noop}pw").roles("USER", "ADMIN").build());
	}

	@Bean
	CountingAuthenticator tokens() {
		return new CountingAuthenticator();
	}

	@Bean
	SocketInterceptor adminsOnly() {
		return new SocketInterceptor() {

			@Override
			public Mono<Void> beforeHandshake(SocketHandshake handshake) {
				boolean admin = handshake.principal() instanceof Authentication authentication
						&& authentication.getAuthorities()
							.stream()
							.anyMatch((authority) -> authority.getAuthority().equals("ROLE_ADMIN"));
				if (handshake.socket().equals("admin") && !admin) {
					return Mono.error(new ConnectionRejectedException(HttpStatus.FORBIDDEN,
							CloseStatus.POLICY_VIOLATION, "administrators only"));
				}
				return Mono.empty();
			}

		};
	}

	/**
	 * Accepts {@code token-<user>} and counts its calls, so that tests can tell whether
	 * it was asked.
	 */
	static class CountingAuthenticator implements SocketAuthenticator {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public Mono<Principal> authenticate(String token, SocketHandshake handshake) {
			this.calls.incrementAndGet();
			Principal principal = () -> token.substring("token-".length());
			return token.startsWith("token-") ? Mono.just(principal) : Mono.empty();
		}

	}

	@Socket("whoami")
	static class WhoAmI {

		@OnConnect
		String hello(SocketConnection connection, Principal principal) {
			return connection.user() + " as " + principal.getClass().getSimpleName();
		}

	}

	@Socket("lobby")
	static class Lobby {

		@OnConnect
		String hello(SocketConnection connection) {
			return "user " + connection.user();
		}

	}

	@Socket("orders")
	static class Orders {

		@OnMessage("cancel-all")
		@PreAuthorize("hasRole('ADMIN')")
		Mono<String> cancelAll() {
			return Mono.just("all orders cancelled");
		}

	}

	@Socket("admin")
	static class Admin {

		@OnConnect
		String hello(SocketConnection connection) {
			return "welcome to the admin area, " + connection.user();
		}

	}

}
