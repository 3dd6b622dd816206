package dev.switchboard.bench;

import dev.switchboard.bench.report.Report;

/**
 * A scenario of the suite: it runs its variants, alternating, over the rounds, and writes
 * its section of the report.
 */
interface Scenario {

	/**
	 * Its name, as {@code -Dbench.scenario} selects it.
	 * @return the name
	 */
	String name();

	/**
	 * Runs it.
	 * @param context the run's context
	 */
	void run(Context context);

	/**
	 * Writes its section of the report.
	 * @param context the run's context, with the results
	 * @param report the report
	 */
	void report(Context context, Report report);

	/**
	 * Whether a run measures a variant: {@code -Dbench.variants}, a regular expression,
	 * selects some by name; a scenario's reference always runs.
	 * @param variant the variant's name
	 * @return whether it runs
	 */
	static boolean selected(String variant) {
		return variant.matches(System.getProperty("bench.variants", ".*"));
	}

	/**
	 * The variants of a round in the order they run: each round starts with the next one,
	 * so that none always runs first, or right after the same other.
	 * @param <T> the variant type
	 * @param variants the variants
	 * @param round the round
	 * @return the variants, rotated
	 */
	static <T> java.util.List<T> alternate(java.util.List<T> variants, int round) {
		java.util.List<T> order = new java.util.ArrayList<>(variants);
		java.util.Collections.rotate(order, -(round % variants.size()));
		if (round % 2 == 1) {
			java.util.Collections.reverse(order);
		}
		return order;
	}

}
