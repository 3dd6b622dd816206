package dev.switchboard;

import org.jspecify.annotations.Nullable;

/**
 * A send that could not be completed: the registry or message bus was unreachable, or the
 * recipient's connection was closed or its outbound buffer full. What was delivered
 * before the failure is in {@link #getPartialResult()}; nothing else was.
 *
 * @since 0.1.0
 */
public class DeliveryException extends SwitchboardException {

	private static final long serialVersionUID = 1L;

	private final SendResult partialResult;

	/**
	 * Creates an exception.
	 * @param message the detail message
	 * @param partialResult what was delivered before the failure
	 * @param cause the cause
	 */
	public DeliveryException(String message, SendResult partialResult, @Nullable Throwable cause) {
		super(message, cause);
		this.partialResult = partialResult;
	}

	/**
	 * What the send achieved before it failed, typically the local deliveries.
	 * @return the partial result
	 */
	public SendResult getPartialResult() {
		return this.partialResult;
	}

}
