/**
 * Spring's STOMP support on the Servlet stack, as a reference server of the benchmark
 * suite.
 */
@NullMarked
package dev.switchboard.bench.stomp;

import org.jspecify.annotations.NullMarked;
