package dev.switchboard.registry;

import java.util.List;

/**
 * What a registry may ask of the instance it serves: its connections, to register them
 * again after the registry lost them, and a way to publish presence events it finds out
 * about, such as the users of a dead instance going offline.
 *
 * @since 0.1.0
 */
public interface RegistryContext {

	/**
	 * The id of this instance.
	 * @return the instance id
	 */
	String instanceId();

	/**
	 * A snapshot of the connections open on this instance, with their rooms.
	 * @return the connections
	 */
	List<LocalConnection> localConnections();

	/**
	 * Publishes an application event on Switchboard's event thread, in order with the
	 * others.
	 * @param event the event
	 */
	void publishEvent(Object event);

	/**
	 * Reports that this instance purged the connections of a dead instance from the
	 * registry, for the metrics.
	 * @param instanceId the dead instance's id
	 */
	default void instancePurged(String instanceId) {
	}

	/**
	 * A connection of this instance and the rooms it joined.
	 *
	 * @param connection the connection
	 * @param rooms its rooms
	 */
	record LocalConnection(dev.switchboard.ConnectionInfo connection, java.util.Set<String> rooms) {

	}

}
