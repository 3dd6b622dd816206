package dev.switchboard;

/**
 * The {@code code} of an error reply, part of the wire contract with clients.
 *
 * @since 0.1.0
 */
public enum ErrorCode {

	/**
	 * The message is malformed, does not bind to the handler's payload or fails
	 * validation.
	 */
	BAD_REQUEST("bad-request"),

	/**
	 * No handler method takes the message.
	 */
	NOT_FOUND("not-found"),

	/**
	 * The connection's user may not send this message.
	 */
	FORBIDDEN("forbidden"),

	/**
	 * The connection sends messages faster than its rate limit.
	 */
	RATE_LIMITED("rate-limited"),

	/**
	 * The handler did not complete within its timeout.
	 */
	TIMEOUT("timeout"),

	/**
	 * The handler failed; details are logged on the server only.
	 */
	INTERNAL("internal");

	private final String value;

	ErrorCode(String value) {
		this.value = value;
	}

	/**
	 * The code as it appears on the wire.
	 * @return the code, for example {@code bad-request}
	 */
	public String value() {
		return this.value;
	}

}
