/**
 * The cluster SPI: the {@link dev.switchboard.registry.ConnectionRegistry} that knows
 * every connection, user and room membership, and the
 * {@link dev.switchboard.registry.MessageBus} that carries sends between instances. The
 * in-memory implementations serve one instance; {@code dev.switchboard.registry.redis}
 * serves a cluster.
 */
@NullMarked
package dev.switchboard.registry;

import org.jspecify.annotations.NullMarked;
