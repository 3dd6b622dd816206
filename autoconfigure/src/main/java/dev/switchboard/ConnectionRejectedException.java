package dev.switchboard;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * Refuses a connection. Before the upgrade (in an interceptor's handshake step) the
 * client gets the HTTP status and no upgrade; after it (in {@code @OnConnect}) the
 * connection is closed with the close status, 1008 by default, and the reason.
 *
 * @since 0.1.0
 */
public class ConnectionRejectedException extends SwitchboardException {

	private static final long serialVersionUID = 1L;

	private final HttpStatus httpStatus;

	private final transient CloseStatus closeStatus;

	/**
	 * Creates a rejection answered with 403 before the upgrade and 1008 after it.
	 * @param reason the reason sent to the client
	 */
	public ConnectionRejectedException(String reason) {
		this(HttpStatus.FORBIDDEN, CloseStatus.POLICY_VIOLATION, reason);
	}

	/**
	 * Creates a rejection.
	 * @param httpStatus the status answered before the upgrade
	 * @param closeStatus the close code used after the upgrade
	 * @param reason the reason sent to the client
	 * @throws IllegalArgumentException for a close code that cannot be sent, such as 1005
	 * or 1006
	 */
	public ConnectionRejectedException(HttpStatus httpStatus, CloseStatus closeStatus, String reason) {
		super(reason);
		CloseCodes.requireSendable(closeStatus.getCode());
		this.httpStatus = httpStatus;
		this.closeStatus = closeStatus.withReason(reason);
	}

	/**
	 * Status answered when the rejection happens before the upgrade.
	 * @return the HTTP status
	 */
	public HttpStatus getHttpStatus() {
		return this.httpStatus;
	}

	/**
	 * Close status, with the reason, used when the rejection happens after the upgrade.
	 * @return the close status
	 */
	public CloseStatus getCloseStatus() {
		return this.closeStatus;
	}

}
