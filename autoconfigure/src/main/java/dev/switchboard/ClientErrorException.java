package dev.switchboard;

/**
 * An exception whose message is meant for the client. Thrown from a message handler, it
 * becomes the error reply {@code {"error": message, "code": code}}; any other exception
 * becomes a generic {@code internal} error whose details stay in the server's log.
 *
 * @since 0.1.0
 */
public class ClientErrorException extends SwitchboardException {

	private static final long serialVersionUID = 1L;

	private final ErrorCode code;

	/**
	 * Creates an exception with code {@link ErrorCode#BAD_REQUEST}.
	 * @param message the message sent to the client
	 */
	public ClientErrorException(String message) {
		this(ErrorCode.BAD_REQUEST, message);
	}

	/**
	 * Creates an exception.
	 * @param code the error code sent to the client
	 * @param message the message sent to the client
	 */
	public ClientErrorException(ErrorCode code, String message) {
		super(message);
		this.code = code;
	}

	/**
	 * The error code sent to the client.
	 * @return the code
	 */
	public ErrorCode getCode() {
		return this.code;
	}

}
