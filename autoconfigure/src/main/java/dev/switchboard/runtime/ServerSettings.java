package dev.switchboard.runtime;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the WebSocket server runtime.
 *
 * @param instanceId id of this instance in the cluster, part of every connection id
 * @param closeTimeout how long a close handshake may take before the TCP connection is
 * closed
 * @param pingInterval silence after which the server pings a connection, zero for never
 * @param pongTimeout how long the server waits for an answer to a ping
 * @param idleTimeout time without messages from the client after which its connection is
 * closed, zero for never
 * @param outboundBufferSize bytes that may wait to be written to one connection
 * @param overflowPolicy what happens to a message when that buffer is full
 * @param allowedOrigins origins allowed to connect; empty for same-origin only
 * @param allowMissingOrigin whether a handshake without an Origin header is allowed
 * @param compression whether permessage-deflate is negotiated
 * @param shutdownTimeout how long shutdown waits for connections to close
 * @since 0.1.0
 */
public record ServerSettings(String instanceId, Duration closeTimeout, Duration pingInterval, Duration pongTimeout,
		Duration idleTimeout, long outboundBufferSize, OverflowPolicy overflowPolicy, List<String> allowedOrigins,
		boolean allowMissingOrigin, boolean compression, Duration shutdownTimeout) {

}
