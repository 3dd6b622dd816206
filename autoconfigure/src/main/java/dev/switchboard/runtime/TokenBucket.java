package dev.switchboard.runtime;

/**
 * The message rate limit of one connection: a bucket of {@code burst} tokens refilled at
 * {@code perSecond}; a message takes one. Used on the connection's event loop only.
 */
final class TokenBucket {

	private final double tokensPerNano;

	private final double capacity;

	private double tokens;

	private long last = System.nanoTime();

	TokenBucket(int perSecond, int burst) {
		this.tokensPerNano = perSecond / 1e9;
		this.capacity = Math.max(burst, 1);
		this.tokens = this.capacity;
	}

	boolean tryTake() {
		long now = System.nanoTime();
		this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.tokensPerNano);
		this.last = now;
		if (this.tokens >= 1) {
			this.tokens--;
			return true;
		}
		return false;
	}

}
