package dev.switchboard;

import org.jspecify.annotations.Nullable;

/**
 * What {@link Recipients#close(CloseReason)} sends in the close frame: a close code and
 * an optional reason. It is the project's own type, free of WebFlux, so that a process
 * that serves no sockets can close connections too.
 *
 * @param code the close code; a close with a code that no endpoint may send (see
 * {@link CloseCodes}), such as 1005 or 1006, fails with an
 * {@link IllegalArgumentException}
 * @param reason the reason for the client, {@code null} for none; a reason over 123 bytes
 * of UTF-8 is cut to fit in the close frame
 * @since 0.1.0
 */
public record CloseReason(int code, @Nullable String reason) {

	/**
	 * 1000, a normal closure.
	 */
	public static final CloseReason NORMAL = new CloseReason(1000);

	/**
	 * 1001, the server is going away.
	 */
	public static final CloseReason GOING_AWAY = new CloseReason(1001);

	/**
	 * 1008, the client broke a policy of the application.
	 */
	public static final CloseReason POLICY_VIOLATION = new CloseReason(1008);

	/**
	 * 1011, the server met an unexpected condition.
	 */
	public static final CloseReason SERVER_ERROR = new CloseReason(1011);

	/**
	 * 1012, the server is restarting.
	 */
	public static final CloseReason SERVICE_RESTARTED = new CloseReason(1012);

	/**
	 * 1013, try again later.
	 */
	public static final CloseReason TRY_AGAIN_LATER = new CloseReason(1013);

	/**
	 * Creates a close reason without a reason text.
	 * @param code the close code
	 */
	public CloseReason(int code) {
		this(code, null);
	}

	/**
	 * This code with a reason.
	 * @param reason the reason for the client
	 * @return a close reason with the same code
	 */
	public CloseReason withReason(@Nullable String reason) {
		return new CloseReason(this.code, reason);
	}

}
