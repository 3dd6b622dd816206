/**
 * Internal: the WebSocket server runtime on Reactor Netty. The handshake and its checks,
 * connections with their bounded outbound queues, protocol conformance handlers, the
 * local connection table and the {@link dev.switchboard.Switchboard} implementation. None
 * of it is API.
 */
@NullMarked
package dev.switchboard.runtime;

import org.jspecify.annotations.NullMarked;
