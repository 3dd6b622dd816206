package dev.switchboard.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security authenticates the upgrade with a real SecurityWebFilterChain; its
 * principal becomes the connection's user, and an interceptor authorizes by role.
 */
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.autoconfigure.exclude=org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
class SpringSecurityTests {

	@LocalServerPort
	int port;

	@Autowired
	SecuredApplication.CountingAuthenticator authenticator;

	private static String basic(String user) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":pw").getBytes(StandardCharsets.UTF_8));
	}

	private WsClient connect(String path, String user) {
		return WsClient.connect(URI.create("ws://localhost:" + this.port + path),
				(headers) -> headers.set("Authorization", basic(user)));
	}

	@Test
	void refusesAnUnauthenticatedUpgradeWith401() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/whoami", Map.of())) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 401");
		}
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/whoami",
				Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString("alice:wrong".getBytes())))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 401");
		}
	}

	@Test
	void treatsSpringSecuritysAnonymousVisitorsAsNoUser() {
		try (WsClient client = WsClient.connect(URI.create("ws://localhost:" + this.port + "/ws/lobby"))) {
			assertThat(client.nextText()).isEqualTo("user null");
		}
	}

	@Test
	void makesTheAuthenticatedPrincipalTheConnectionsUser() {
		try (WsClient client = connect("/ws/whoami", "alice")) {
			assertThat(client.nextText()).isEqualTo("alice as UsernamePasswordAuthenticationToken");
		}
	}

	@Test
	void answersAHandlerMethodSecurityRefusesWithForbidden() {
		try (WsClient alice = connect("/ws/orders", "alice"); WsClient bob = connect("/ws/orders", "bob")) {
			alice.send("{\"type\":\"cancel-all\",\"id\":1}");
			assertThat(alice.nextText()).isEqualTo("{\"error\":\"access denied\",\"code\":\"forbidden\",\"id\":1}");
			bob.send("{\"type\":\"cancel-all\"}");
			assertThat(bob.nextText()).isEqualTo("all orders cancelled");
		}
	}

	@Test
	void doesNotAskTheAuthenticatorWhenSpringSecurityAuthenticatedTheHandshake() {
		this.authenticator.calls.set(0);
		try (WsClient client = WsClient.connect(URI.create("ws://localhost:" + this.port + "/ws/whoami"),
				(headers) -> headers.set("Authorization", basic("alice")), "switchboard.token", "token-mallory")) {
			assertThat(client.nextText()).isEqualTo("alice as UsernamePasswordAuthenticationToken");
		}
		assertThat(this.authenticator.calls).hasValue(0);
		// Where Spring Security leaves the handshake anonymous, the authenticator
		// decides.
		try (WsClient client = WsClient.connect(URI.create("ws://localhost:" + this.port + "/ws/lobby"), (headers) -> {
		}, "switchboard.token", "token-mallory")) {
			assertThat(client.nextText()).isEqualTo("user mallory");
		}
		assertThat(this.authenticator.calls).hasValue(1);
	}

	@Test
	void refusesAnAuthenticatedUserWithoutTheRoleWith403() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/admin",
				Map.of("Authorization", basic("alice")))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 403");
			assertThat(client.responseBody()).contains("administrators only");
		}
		try (WsClient admin = connect("/ws/admin", "bob")) {
			assertThat(admin.nextText()).isEqualTo("welcome to the admin area, bob");
		}
	}

}
