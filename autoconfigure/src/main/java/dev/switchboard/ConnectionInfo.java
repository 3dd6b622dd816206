package dev.switchboard;

import org.jspecify.annotations.Nullable;

/**
 * A connection as the cluster-wide registry knows it.
 *
 * @param id the connection's id
 * @param socket the name of the socket it is connected to
 * @param user the connection's user, {@code null} for an anonymous connection
 * @param instance the id of the instance that holds the connection
 * @since 0.1.0
 */
public record ConnectionInfo(String id, String socket, @Nullable String user, String instance) {

}
