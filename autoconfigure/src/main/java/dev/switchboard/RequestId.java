package dev.switchboard;

/**
 * The id the server gives each message it receives: the id of the connection it came from
 * and its number on that connection, unique across the cluster. It reads as
 * {@code k3x9q0b2mz.vR8nXo2LQeC1dA7w:42}, the form it takes in the logging context
 * ({@code switchboard.requestId} in the SLF4J MDC) while a handler method runs. Unlike a
 * message's {@code id} field, which the client chooses, the server makes it, so that a
 * log line can name the message that caused it. {@code @OnMessage} and {@code @OnError}
 * methods receive it as a parameter of this type.
 *
 * @param connectionId the id of the connection the message came from
 * @param sequence the number of the message on the connection, from 1
 * @since 0.1.0
 */
public record RequestId(String connectionId, long sequence) {

	/**
	 * The id as it appears in the logging context: the connection's id, a colon and the
	 * number.
	 * @return the id
	 */
	@Override
	public String toString() {
		return this.connectionId + ":" + this.sequence;
	}

}
