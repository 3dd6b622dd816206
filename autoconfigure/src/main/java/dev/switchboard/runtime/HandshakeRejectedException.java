package dev.switchboard.runtime;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A handshake refused by a policy: authentication, authorization, a limit.
 */
final class HandshakeRejectedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final HttpStatus status;

	private final @Nullable String user;

	HandshakeRejectedException(HttpStatus status, String reason) {
		this(status, reason, null);
	}

	private HandshakeRejectedException(HttpStatus status, String reason, @Nullable String user) {
		super(reason, null, false, false);
		this.status = status;
		this.user = user;
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
				: new HandshakeRejectedException(this.status, getMessage(), user);
	}

}
