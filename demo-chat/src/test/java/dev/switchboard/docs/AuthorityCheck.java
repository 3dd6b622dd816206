package dev.switchboard.docs;

import org.springframework.security.core.Authentication;

import dev.switchboard.SocketHandshake;

final class AuthorityCheck {

	private AuthorityCheck() {
	}

	static boolean isAdmin(SocketHandshake handshake) {
		// tag::authorities[]
		boolean admin = handshake.principal() instanceof Authentication authentication
				&& authentication.getAuthorities()
					.stream()
					.anyMatch((authority) -> authority.getAuthority().equals("ROLE_ADMIN"));
		// end::authorities[]
		return admin;
	}

}
