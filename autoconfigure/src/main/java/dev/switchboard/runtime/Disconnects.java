package dev.switchboard.runtime;

import java.io.IOException;

import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;
import reactor.netty.channel.AbortedException;

/**
 * Tells the errors that only mean that a connection ended, which its client may cause at
 * any moment (a TCP reset, a close in the middle of a handshake), from the failures of
 * the server. The channel decides: an I/O error of the application's own (a database call
 * in {@code @OnConnect}, say) on a connection that is still open is a failure.
 */
final class Disconnects {

	private Disconnects() {
	}

	/**
	 * Whether an error only means that the connection ended.
	 * @param ex the error
	 * @param channel the connection's channel
	 * @return whether it does
	 */
	static boolean isDisconnect(Throwable ex, @Nullable Channel channel) {
		if (channel != null && !channel.isActive()) {
			return true;
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof AbortedException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	/**
	 * Whether an error of the network connection itself, as the inbound reports it, only
	 * means that the connection ended: a reset, a broken pipe, a close.
	 * @param ex the error
	 * @return whether it does
	 */
	static boolean isNetworkEnd(Throwable ex) {
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
