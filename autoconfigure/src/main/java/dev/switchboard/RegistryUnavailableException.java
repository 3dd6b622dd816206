package dev.switchboard;

import org.jspecify.annotations.Nullable;

/**
 * The registry or message bus cannot be reached, for example while Redis is down.
 * Operations that need it fail fast with this exception instead of waiting or buffering;
 * sends report it as the cause of a {@link DeliveryException}.
 *
 * @since 0.1.0
 */
public class RegistryUnavailableException extends SwitchboardException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message the detail message
	 * @param cause the cause, if any
	 */
	public RegistryUnavailableException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
