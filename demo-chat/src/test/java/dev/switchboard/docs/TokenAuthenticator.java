package dev.switchboard.docs;

import java.security.Principal;
import java.util.Set;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.SocketAuthenticator;
import dev.switchboard.SocketHandshake;

// tag::authenticator[]
@Component
class TokenAuthenticator implements SocketAuthenticator {

	private final TokenVerifier verifier;

	TokenAuthenticator(TokenVerifier verifier) {
		this.verifier = verifier;
	}

	@Override
	public Mono<Principal> authenticate(String token, SocketHandshake handshake) {
		// Empty for an invalid or expired token: the handshake is refused with 401.
		return this.verifier.verify(token).map((claims) -> new ChatUser(claims.subject(), claims.roles()));
	}

	interface TokenVerifier {

		Mono<Claims> verify(String token);

	}

	record Claims(String subject, Set<String> roles) {
	}

}
// end::authenticator[]
