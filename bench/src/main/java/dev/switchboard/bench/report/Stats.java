package dev.switchboard.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The median and the range of a figure across rounds.
 *
 * @param median the median
 * @param min the smallest
 * @param max the largest
 * @param count how many rounds
 */
public record Stats(double median, double min, double max, int count) {

	/**
	 * Statistics of values, NaNs left out.
	 * @param values the values
	 * @return their statistics, NaN when there are none
	 */
	public static Stats of(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values.stream().filter((value) -> !Double.isNaN(value)).toList());
		if (sorted.isEmpty()) {
			return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
		}
		Collections.sort(sorted);
		int n = sorted.size();
		double median = (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
	}

	/**
	 * The ratio of a figure of one variant to the same figure of a reference variant,
	 * round by round, as statistics.
	 * @param results a scenario's results
	 * @param config the configuration
	 * @param variant the variant
	 * @param reference the reference variant
	 * @param figure the figure
	 * @return the statistics of the ratios
	 */
	public static Stats ratio(List<Result> results, String config, String variant, String reference,
			ToDoubleFunction<Result> figure) {
		List<Double> ratios = new ArrayList<>();
		for (Result result : results) {
			if (!result.config().equals(config) || !result.variant().equals(variant)) {
				continue;
			}
			for (Result other : results) {
				if (other.config().equals(config) && other.variant().equals(reference)
						&& other.round() == result.round()) {
					ratios.add(figure.applyAsDouble(result) / figure.applyAsDouble(other));
				}
			}
		}
		return of(ratios);
	}

	/**
	 * A figure of a variant across rounds.
	 * @param results a scenario's results
	 * @param config the configuration
	 * @param variant the variant
	 * @param figure the figure
	 * @return its statistics
	 */
	public static Stats of(List<Result> results, String config, String variant, ToDoubleFunction<Result> figure) {
		List<Double> values = new ArrayList<>();
		for (Result result : results) {
			if (result.config().equals(config) && result.variant().equals(variant)) {
				values.add(figure.applyAsDouble(result));
			}
		}
		return of(values);
	}

	/**
	 * The median with its range, as in {@code 0.97x (0.95–0.99)}.
	 * @return the text
	 */
	public String ratioText() {
		if (this.count == 0) {
			return "–";
		}
		return String.format(Locale.ROOT, "%.2fx (%.2f–%.2f)", this.median, this.min, this.max);
	}

	/**
	 * The median, as a plain number with a unit.
	 * @param unit the unit
	 * @param decimals the decimals
	 * @return the text
	 */
	public String valueText(String unit, int decimals) {
		if (this.count == 0) {
			return "–";
		}
		return String.format(Locale.ROOT, "%,." + decimals + "f%s", this.median, unit);
	}

}
