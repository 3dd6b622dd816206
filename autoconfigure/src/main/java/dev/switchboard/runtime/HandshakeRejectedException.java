package dev.switchboard.runtime;

import org.springframework.http.HttpStatus;

/**
 * A handshake refused by a policy: authentication, authorization, a limit.
 */
final class HandshakeRejectedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final HttpStatus status;

	HandshakeRejectedException(HttpStatus status, String reason) {
		super(reason, null, false, false);
		this.status = status;
	}

	HttpStatus status() {
		return this.status;
	}

}
