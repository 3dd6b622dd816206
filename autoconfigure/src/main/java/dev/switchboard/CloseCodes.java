package dev.switchboard;

/**
 * The close codes an endpoint may send (RFC 6455, section 7.4): 1000 to 1003, 1007 to
 * 1014, and the registered and private ranges 3000 to 4999. 1004 to 1006 and 1015 only
 * report a close and are never sent; the rest is undefined.
 *
 * @since 0.1.0
 */
public final class CloseCodes {

	private CloseCodes() {
	}

	/**
	 * Whether an endpoint may send a close code.
	 * @param code the code
	 * @return whether it may go in a close frame
	 */
	public static boolean isSendable(int code) {
		return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
	}

	/**
	 * Refuses a code that no endpoint may send.
	 * @param code the code
	 * @return the code
	 * @throws IllegalArgumentException for a code that cannot be sent, such as 1005 or
	 * 1006
	 */
	public static int requireSendable(int code) {
		if (!isSendable(code)) {
			throw new IllegalArgumentException(
					"Close code " + code + " cannot be sent: use 1000 to 1003, 1007 to 1014, or 3000 to 4999");
		}
		return code;
	}

}
