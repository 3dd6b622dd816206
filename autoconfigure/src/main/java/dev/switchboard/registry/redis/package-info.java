/**
 * The Redis implementation of the connection registry and message bus, for applications
 * that run several instances: atomic Lua scripts over keys that share one hash tag,
 * publish and subscribe between instances, instance leases with a purge of dead
 * instances, and recovery after Redis outages.
 */
@NullMarked
package dev.switchboard.registry.redis;

import org.jspecify.annotations.NullMarked;
