package dev.switchboard.registry.redis;

import dev.switchboard.RegistryUnavailableException;

/**
 * A send was published to an instance that holds recipients, but Redis found no
 * subscriber on that instance's channel and dropped it: the instance is subscribing again
 * after an outage or a failover, or it died and its purge has not begun. Redis itself is
 * reachable.
 */
final class UnsubscribedInstanceException extends RegistryUnavailableException {

	private static final long serialVersionUID = 1L;

	UnsubscribedInstanceException() {
		super("an instance that holds recipients is not subscribed to Redis, which dropped the message: "
				+ "it is subscribing again after an outage or a failover, or it is dead and not purged yet", null);
	}

}
