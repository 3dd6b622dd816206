/**
 * Switchboard's public API: the {@link dev.switchboard.Switchboard} that sends to any
 * connection, user, room or socket in the cluster, the
 * {@link dev.switchboard.SocketConnection} handler methods receive, and the exceptions
 * and events of the contract with clients.
 */
@NullMarked
package dev.switchboard;

import org.jspecify.annotations.NullMarked;
