package dev.switchboard.runtime;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

import dev.switchboard.runtime.SwitchboardMetrics.HandshakeRejection;

/**
 * A handshake refused by a policy: authentication, authorization, a limit.
 */
final class HandshakeRejectedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final HandshakeRejection rejection;

	private final HttpStatus status;

	private final @Nullable String user;

	HandshakeRejectedException(HandshakeRejection rejection, HttpStatus status, String reason) {
		this(rejection, status, reason, null);
	}

	private HandshakeRejectedException(HandshakeRejection rejection, HttpStatus status, String reason,
			@Nullable String user) {
		super(reason, null, false, false);
		this.rejection = rejection;
		this.status = status;
		this.user = user;
	}

	HandshakeRejection rejection() {
		return this.rejection;
	}

	HttpStatus status() {
		return this.status;
	}

	/**
	 * The user the handshake was authenticated as, for the log.
	 * @return the user, or {@code null} when anonymous or not known yet
	 */
	@Nullable String user() {
		return this.user;
	}

	/**
	 * This rejection, of a handshake authenticated as a user.
	 * @param user the user, {@code null} for none
	 * @return the rejection
	 */
	HandshakeRejectedException forUser(@Nullable String user) {
		return (user == null || this.user != null) ? this
				: new HandshakeRejectedException(this.rejection, this.status, getMessage(), user);
	}

}
