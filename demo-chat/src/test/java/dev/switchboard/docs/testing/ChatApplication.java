package dev.switchboard.docs.testing;

import java.security.Principal;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

import dev.switchboard.SocketAuthenticator;

/**
 * The application that {@code docs/testing.md} tests: {@link ChatSocket}, and a token
 * authenticator for which {@code ann-token} is the token of the user {@code ann}.
 */
// tag::application[]
@SpringBootApplication
public class ChatApplication {

	private static final String SUFFIX = "-token";

	@Bean
	SocketAuthenticator authenticator() {
		return (token, handshake) -> token.endsWith(SUFFIX)
				? Mono.just(principal(token.substring(0, token.length() - SUFFIX.length()))) : Mono.empty();
	}

	private static Principal principal(String name) {
		return () -> name;
	}

	public static void main(String[] args) {
		SpringApplication.run(ChatApplication.class, args);
	}

}
// end::application[]
