package dev.switchboard;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What is known of a send, never more: the connections it reached on this instance, those
 * here that could not take it, and the other instances it was published to. Delivery on
 * those instances is at-most-once and is not acknowledged.
 *
 * @param reached how many connections on this instance the message was handed to
 * @param instances how many other instances the message was published to
 * @param dropped how many connections on this instance could not take the message:
 * closing, or their outbound buffer full
 * @since 0.1.0
 */
public record SendResult(int reached, int instances, int dropped) {

	/**
	 * Result of a send that found no recipient anywhere.
	 */
	public static final SendResult NOT_CONNECTED = new SendResult(0, 0, 0);

	/**
	 * Creates a result without drops.
	 * @param reached how many connections on this instance the message was handed to
	 * @param instances how many other instances the message was published to
	 */
	public SendResult(int reached, int instances) {
		this(reached, instances, 0);
	}

	/**
	 * Whether the registry knows no recipient: no connection here, no instance to publish
	 * to. Written as {@code notConnected} in JSON, next to the three counts.
	 * @return {@code true} when there was nobody to send to
	 */
	@JsonProperty(value = "notConnected", access = JsonProperty.Access.READ_ONLY)
	public boolean notConnected() {
		return this.reached == 0 && this.instances == 0 && this.dropped == 0;
	}

	/**
	 * Combines this result with another part of the same send.
	 * @param other the other part
	 * @return the sum of both
	 */
	public SendResult plus(SendResult other) {
		return new SendResult(this.reached + other.reached, this.instances + other.instances,
				this.dropped + other.dropped);
	}

}
