/**
 * Results, their statistics across rounds, and the report with its charts.
 */
@NullMarked
package dev.switchboard.bench.report;

import org.jspecify.annotations.NullMarked;
