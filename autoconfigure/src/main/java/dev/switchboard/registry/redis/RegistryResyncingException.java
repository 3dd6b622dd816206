package dev.switchboard.registry.redis;

import dev.switchboard.RegistryUnavailableException;

/**
 * Redis lost its data and the instances are registering their connections again: the
 * registry does not know connections that are open. Redis itself is reachable.
 */
final class RegistryResyncingException extends RegistryUnavailableException {

	private static final long serialVersionUID = 1L;

	RegistryResyncingException(String what) {
		super("Redis lost its data: cannot " + what + " until the instances have registered their connections again",
				null);
	}

}
