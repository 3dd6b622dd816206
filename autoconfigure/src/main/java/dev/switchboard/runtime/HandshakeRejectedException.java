package dev.switchboard.runtime;

import org.springframework.http.HttpStatus;

import dev.switchboard.runtime.SwitchboardMetrics.HandshakeRejection;

/**
 * A handshake refused by a policy: authentication, authorization, a limit.
 */
final class HandshakeRejectedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final HandshakeRejection rejection;

	private final HttpStatus status;

	HandshakeRejectedException(HandshakeRejection rejection, HttpStatus status, String message) {
		super(message, null, false, false);
		this.rejection = rejection;
		this.status = status;
	}

	HandshakeRejection rejection() {
		return this.rejection;
	}

	HttpStatus status() {
		return this.status;
	}

}
