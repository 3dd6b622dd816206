package dev.switchboard.runtime;

import java.security.Principal;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Mono;

import dev.switchboard.SocketAuthenticator;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link SocketAuthenticator} (docs/security.md, With a token): with two, the one
 * marked {@code @Primary} is used (two without it stop the application, as
 * {@code SwitchboardAutoConfigurationTests.failsOnTwoTokenAuthenticators} shows), and it
 * sees the details of the handshake.
 */
@Import(SocketAuthenticatorTests.PrimaryAuthenticator.class)
class SocketAuthenticatorTests extends SocketTestSupport {

	@Test
	void usesTheAuthenticatorMarkedPrimary() {
		try (WsClient client = WsClient.connect(uri("/ws/secure"),
				(headers) -> headers.set("Authorization", "Bearer primary-pia"))) {
			assertThat(client.nextText()).isEqualTo("hello pia");
		}
		// The test application's own authenticator would accept this one.
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/secure",
				Map.of("Authorization", "Bearer token-amy"))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 401");
			assertThat(client.responseBody()).contains("invalid token");
		}
	}

	@Test
	void givesTheAuthenticatorTheSocketCookiesQueryParametersPathVariablesAndRemoteAddress() {
		try (WsClient client = WsClient.connect(uri("/ws/rooms/lobby/arguments?n=3"), (headers) -> {
			headers.set("Authorization", "Bearer primary-inspect");
			headers.set("Cookie", "tenant=acme");
		})) {
			assertThat(client.nextJson().get("principal").asString())
				.isEqualTo("socket=arguments tenant=acme n=3 room=lobby remote=loopback");
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class PrimaryAuthenticator {

		@Bean
		@Primary
		SocketAuthenticator primaryAuthenticator() {
			return (token, handshake) -> {
				if (token.equals("primary-inspect")) {
					String seen = "socket=" + handshake.socket() + " tenant="
							+ handshake.cookies().getFirst("tenant").getValue() + " n="
							+ handshake.queryParams().getFirst("n") + " room=" + handshake.pathVariables().get("room")
							+ " remote="
							+ (handshake.remoteAddress().getAddress().isLoopbackAddress() ? "loopback" : "other");
					return Mono.just(() -> seen);
				}
				Principal principal = () -> token.substring("primary-".length());
				return token.startsWith("primary-") ? Mono.just(principal) : Mono.empty();
			};
		}

	}

}
