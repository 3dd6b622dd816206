package dev.switchboard;

import java.security.Principal;

import reactor.core.publisher.Mono;

/**
 * Authenticates the token a client presents at the handshake, for applications that do
 * not authenticate the upgrade with Spring Security. Switchboard reads the token from the
 * {@code Authorization: Bearer} header, from the subprotocols a browser offers (the
 * marker {@code switchboard.token} followed by the token; only the marker is echoed), and
 * from the cookie or query parameter when configured; it never logs it.
 * <p>
 * A request without a token goes on anonymous unless the socket requires a user; a token
 * the authenticator rejects is answered with 401 and no upgrade.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface SocketAuthenticator {

	/**
	 * Authenticates a token.
	 * @param token the token, without its {@code Bearer} prefix
	 * @param handshake the handshake request, for context such as the socket
	 * @return the principal; empty or an error when the token is invalid or expired
	 */
	Mono<Principal> authenticate(String token, SocketHandshake handshake);

}
