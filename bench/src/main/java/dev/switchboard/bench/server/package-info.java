/**
 * The servers measured: raw Reactor Netty, a plain WebFlux handler, and Switchboard, each
 * started in a JVM of its own by the benchmark runner.
 */
@NullMarked
package dev.switchboard.bench.server;

import org.jspecify.annotations.NullMarked;
