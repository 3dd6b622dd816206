package dev.switchboard;

import org.jspecify.annotations.Nullable;

/**
 * Base class of Switchboard's exceptions.
 *
 * @since 0.1.0
 */
public class SwitchboardException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message the detail message
	 */
	public SwitchboardException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with a cause.
	 * @param message the detail message
	 * @param cause the cause
	 */
	public SwitchboardException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
