package dev.switchboard.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.Socket;
import dev.switchboard.test.Http;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP send API in an application with Spring Security: its callers are those Spring
 * Security authenticates, with the configured authority, and those that present the key.
 * The API's chain permits every call, so that the API's own checks are what is tested.
 */
@SpringBootTest(classes = HttpSendApiSecurityTests.SendingApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = {
				"spring.autoconfigure.exclude=org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"switchboard.http-api.enabled=true", "switchboard.http-api.authority=ROLE_SENDER",
				"switchboard.http-api.key=" + HttpSendApiSecurityTests.KEY })
class HttpSendApiSecurityTests {

	static final String KEY = "p2Lw9zQx7Vn4Bc1M";

	private static final String PATH = "/switchboard/api/send";

	private static final String BODY = "{\"to\":{\"user\":\"alice\"},\"payload\":{\"text\":\"hi\"}}";

	@LocalServerPort
	int port;

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private Http.Response call(String authorization) {
		return Http.post(this.port, PATH, Map.of("Authorization", authorization, "Content-Type", "application/json"),
				BODY);
	}

	@Test
	void sendsForAnAuthenticatedCallerWithTheAuthorityOnly() {
		try (WsClient alice = WsClient.connect(URI.create("ws://localhost:" + this.port + "/ws/inbox"),
				(headers) -> headers.set("Authorization", basic("alice", "pw")))) {
			assertThat(alice.nextText()).isEqualTo("inbox of alice");
			Http.Response anonymous = Http.post(this.port, PATH, Map.of("Content-Type", "application/json"), BODY);
			assertThat(anonymous.status()).isEqualTo(401);
			assertThat(anonymous.json().get("error").asString())
				.isEqualTo("authentication required: Authorization: Bearer <key>");
			assertThat(call(basic("bob", "wrong")).status()).isEqualTo(401);
			Http.Response withoutAuthority = call(basic("alice", "pw"));
			assertThat(withoutAuthority.status()).isEqualTo(403);
			assertThat(withoutAuthority.json().get("error").asString())
				.isEqualTo("the authority ROLE_SENDER is required");
			assertThat(alice.drain()).isEmpty();
			Http.Response sender = call(basic("bob", "pw"));
			assertThat(sender.status()).isEqualTo(200);
			assertThat(sender.json().get("reached").asInt()).isEqualTo(1);
			assertThat(alice.nextText()).isEqualTo("{\"text\":\"hi\"}");
			Http.Response key = call("Bearer " + KEY);
			assertThat(key.status()).isEqualTo(200);
			assertThat(alice.nextText()).isEqualTo("{\"text\":\"hi\"}");
			assertThat(call("Bearer not-the-key").status()).isEqualTo(401);
		}
	}

	/**
	 * Two chains: one for the API, without CSRF protection (its callers are not browsers,
	 * and it takes JSON only), one that authenticates the sockets.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Inbox.class)
	static class SendingApplication {

		@Bean
		@Order(0)
		SecurityWebFilterChain sendApiSecurity(ServerHttpSecurity http) {
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers(PATH))
				.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
				.httpBasic(Customizer.withDefaults())
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		@Order(1)
		SecurityWebFilterChain socketSecurity(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}pw").roles("USER").build(),
					User.withUsername("bob").password("{noop}pw").roles("USER", "SENDER").build());
		}

	}

	@Socket("inbox")
	static class Inbox {

		@OnConnect
		String hello(SocketConnection connection) {
			return "inbox of " + connection.user();
		}

	}

}
