package dev.switchboard.runtime;

import java.io.IOException;

import reactor.netty.channel.AbortedException;

/**
 * Tells the errors that only mean that a connection ended, which its client may cause at
 * any moment (a TCP reset, a close in the middle of a handshake), from the failures of
 * the server.
 */
final class Disconnects {

	private Disconnects() {
	}

	/**
	 * Whether an error only means that the connection ended.
	 * @param ex the error
	 * @return whether it does
	 */
	static boolean isDisconnect(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof AbortedException || cause instanceof IOException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	/**
	 * A one-line description of an error, for a debug line.
	 * @param ex the error
	 * @return its type and message
	 */
	static String describe(Throwable ex) {
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
	}

}
