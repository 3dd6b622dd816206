package dev.switchboard.registry;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.switchboard.ConnectionInfo;

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
	 * A connection of this instance, the rooms it joined, and when and from where it
	 * connected, which a registry may keep for operators.
	 *
	 * @param connection the connection
	 * @param rooms its rooms
	 * @param connectedAt when its handshake completed
	 * @param remoteAddress the client's address ({@code host:port}), {@code null} when
	 * unknown
	 */
	record LocalConnection(ConnectionInfo connection, Set<String> rooms, Instant connectedAt,
			@Nullable String remoteAddress) {

	}

}
