/**
 * The load generator, a JVM of its own on Reactor Netty's WebSocket client, recording
 * latencies with HdrHistogram.
 */
@NullMarked
package dev.switchboard.bench.load;

import org.jspecify.annotations.NullMarked;
