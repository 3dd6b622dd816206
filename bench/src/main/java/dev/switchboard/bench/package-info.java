/**
 * The benchmark suite: {@link dev.switchboard.bench.Bench} runs every scenario, each
 * server and load generator in a JVM of its own, and writes {@code docs/benchmarks.md}.
 */
@NullMarked
package dev.switchboard.bench;

import org.jspecify.annotations.NullMarked;
