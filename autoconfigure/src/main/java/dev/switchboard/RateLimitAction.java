package dev.switchboard;

/**
 * What happens to a message a connection sends over its rate limit.
 *
 * @since 0.1.0
 */
public enum RateLimitAction {

	/**
	 * Answer with a {@code rate-limited} error reply and drop the message.
	 */
	REPLY,

	/**
	 * Close the connection with 1008.
	 */
	CLOSE

}
