package dev.switchboard.bench.report;

import java.util.Map;

/**
 * What one run of one variant measured.
 *
 * @param scenario the scenario
 * @param config the scenario's configuration, such as {@code 16 conn, 64 B}
 * @param variant the server variant, such as {@code raw}
 * @param round the round, from 1
 * @param values the figures: {@code throughput} (messages per second), latencies in
 * microseconds ({@code p50}, {@code p99}, ...), {@code serverCpu} (seconds), and the
 * scenario's own
 */
public record Result(String scenario, String config, String variant, int round, Map<String, Double> values) {

	/**
	 * A figure.
	 * @param name its name
	 * @return its value, NaN when it was not measured
	 */
	public double value(String name) {
		Double value = this.values.get(name);
		return (value != null) ? value : Double.NaN;
	}

}
