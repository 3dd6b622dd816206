package dev.switchboard;

/**
 * What happens to a message for a connection whose outbound buffer is full.
 *
 * @since 0.1.0
 */
public enum OverflowPolicy {

	/**
	 * Close the connection with 1013, dropping what is queued: the client reconnects and
	 * resynchronises.
	 */
	CLOSE,

	/**
	 * Drop the message and count it; the connection stays open.
	 */
	DROP

}
