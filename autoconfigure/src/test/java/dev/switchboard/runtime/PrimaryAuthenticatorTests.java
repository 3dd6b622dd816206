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
 * With two {@link SocketAuthenticator} beans, the one marked {@code @Primary} is used
 * (docs/security.md, With a token); two without it stop the application, as
 * {@code SwitchboardAutoConfigurationTests.failsOnTwoTokenAuthenticators} shows.
 */
@Import(PrimaryAuthenticatorTests.PrimaryAuthenticator.class)
class PrimaryAuthenticatorTests extends SocketTestSupport {

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

	@TestConfiguration(proxyBeanMethods = false)
	static class PrimaryAuthenticator {

		@Bean
		@Primary
		SocketAuthenticator primaryAuthenticator() {
			return (token, handshake) -> {
				Principal principal = () -> token.substring("primary-".length());
				return token.startsWith("primary-") ? Mono.just(principal) : Mono.empty();
			};
		}

	}

}
