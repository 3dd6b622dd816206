package dev.switchboard.runtime;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.CloseCodes;
import dev.switchboard.CloseReason;

/**
 * Where a connection is in its close, and the statuses each side gave. A connection is
 * open until a close frame is queued, by this side ({@link #beginClose}) or as the echo
 * of the client's ({@link #closeReceived}); it is closing from then until its TCP
 * connection is closed. A protocol failure found in the client's frames ({@link #failed})
 * is recorded at once and closes the connection once the messages before it are handled.
 * The status the connection ends with is the failure's, else this side's, else the
 * client's, else 1006.
 */
final class CloseState {

	private static final AtomicIntegerFieldUpdater<CloseState> STATE = AtomicIntegerFieldUpdater
		.newUpdater(CloseState.class, "state");

	private static final int OPEN = 0;

	private static final int CLOSING = 1;

	private volatile int state;

	// Sent by this side, not as an echo.
	private volatile @Nullable CloseStatus sent;

	private volatile @Nullable CloseStatus received;

	private volatile @Nullable CloseStatus failure;

	boolean isOpen() {
		return this.state == OPEN;
	}

	/**
	 * Open to closing, by this side.
	 * @param status the status this side sends
	 * @return {@code true} if the connection was open: the caller queues the close frame
	 */
	boolean beginClose(CloseStatus status) {
		if (STATE.compareAndSet(this, OPEN, CLOSING)) {
			this.sent = status;
			return true;
		}
		return false;
	}

	/**
	 * The client's close frame arrived.
	 * @param status the client's status
	 * @return {@code true} if the connection was open: the caller echoes the close frame;
	 * else it completes this side's close
	 */
	boolean closeReceived(CloseStatus status) {
		this.received = status;
		return STATE.compareAndSet(this, OPEN, CLOSING);
	}

	/**
	 * A protocol failure was found in the client's frames.
	 * @param status the status it calls for
	 * @return {@code true} for the first failure
	 */
	boolean failed(CloseStatus status) {
		if (this.failure != null) {
			return false;
		}
		this.failure = status;
		return true;
	}

	/**
	 * Open to closing, for the protocol failure recorded.
	 * @return the failure's status if the connection was open, else {@code null}
	 */
	@Nullable CloseStatus beginFailureClose() {
		CloseStatus status = this.failure;
		return (status != null && STATE.compareAndSet(this, OPEN, CLOSING)) ? status : null;
	}

	boolean hasFailed() {
		return this.failure != null;
	}

	/**
	 * The status the connection closed with.
	 * @return the status
	 */
	CloseStatus finalStatus() {
		CloseStatus status = (this.failure != null) ? this.failure : this.sent;
		if (status == null) {
			status = this.received;
		}
		return (status != null) ? status : new CloseStatus(1006);
	}

	/**
	 * Whether the {@link #finalStatus() final status} is the one the client sent.
	 * @return whether it is
	 */
	boolean isClientStatus() {
		return ending() == Ending.CLIENT;
	}

	/**
	 * Which side ended the connection, in the order of {@link #finalStatus()}.
	 * @return the side
	 */
	Ending ending() {
		if (this.failure != null) {
			return Ending.PROTOCOL_FAILURE;
		}
		if (this.sent != null) {
			return Ending.SERVER;
		}
		return (this.received != null) ? Ending.CLIENT : Ending.NONE;
	}

	/**
	 * Refuses a status that no endpoint may send, such as 1005 or 1006, which only report
	 * a close: Netty would refuse the frame on the event loop, and the connection would
	 * stay open.
	 * @param status the status the application chose
	 * @return the status
	 * @throws IllegalArgumentException for a code that cannot be sent
	 */
	/**
	 * The WebFlux form of the close reason a {@link dev.switchboard.Recipients#close}
	 * gives or an envelope carries.
	 * @param reason the close reason
	 * @return the close status
	 */
	static CloseStatus toStatus(CloseReason reason) {
		return (reason.reason() != null) ? new CloseStatus(reason.code(), reason.reason())
				: new CloseStatus(reason.code());
	}

	static CloseStatus requireSendable(CloseStatus status) {
		CloseCodes.requireSendable(status.getCode());
		return status;
	}

	/**
	 * A close frame is a control frame of at most 125 bytes: the reason keeps 123 bytes
	 * of UTF-8, cut on a character boundary.
	 * @param status the status
	 * @return the status with a reason that fits
	 */
	static CloseStatus fitToFrame(CloseStatus status) {
		String reason = status.getReason();
		if (reason == null || reason.getBytes(StandardCharsets.UTF_8).length <= 123) {
			return status;
		}
		// No character takes less than a byte: 120 characters are at least 120 bytes.
		int end = Math.min(reason.length(), 120);
		while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > 120) {
			end--;
		}
		if (end > 0 && Character.isHighSurrogate(reason.charAt(end - 1))) {
			end--;
		}
		return status.withReason(reason.substring(0, end) + "...");
	}

	/**
	 * Which side ended a connection.
	 */
	enum Ending {

		/**
		 * The server, for a protocol failure in the client's frames.
		 */
		PROTOCOL_FAILURE,

		/**
		 * The server, with a close frame.
		 */
		SERVER,

		/**
		 * The client, with a close frame.
		 */
		CLIENT,

		/**
		 * Neither: the TCP connection ended without a close frame.
		 */
		NONE

	}

}
