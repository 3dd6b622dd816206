package dev.switchboard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.bench.report.Report;
import dev.switchboard.bench.report.Results;

/**
 * Runs the benchmark suite, or some of its scenarios, and writes the report. Every server
 * and every load generator runs in a JVM of its own; the variants of a scenario alternate
 * over the rounds, after a warm-up round, and the report gives medians of the ratios to
 * the reference measured in the same round, with their range.
 * <p>
 * System properties: {@code bench.scenario} ({@code all}, or names separated by commas),
 * {@code bench.rounds}, {@code bench.seconds} (each measured window),
 * {@code bench.variants} (a regular expression: the variants that run),
 * {@code bench.report} (the Markdown file written), {@code bench.stomp} (the STOMP
 * module's target folder) and {@code bench.java21} (a Java 21 or later home for the
 * virtual threads variants; found under {@code /usr/lib/jvm} when not set).
 */
public final class Bench {

	private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

	static {
		for (Scenario scenario : List.of(EchoScenario.text(), EchoScenario.json(), EchoScenario.threads(),
				new LatencyScenario(), EchoScenario.metrics(), new FanOutScenario(), new CrossInstanceScenario(),
				new RedisCostScenario(), new ClusterScenario(), new IdleScenario())) {
			SCENARIOS.put(scenario.name(), scenario);
		}
	}

	private Bench() {
	}

	public static void main(String[] args) throws IOException {
		String selection = System.getProperty("bench.scenario", "all");
		List<Scenario> scenarios = selection.equals("all") ? List.copyOf(SCENARIOS.values())
				: Arrays.stream(selection.split(",")).map(String::trim).map(Bench::scenario).toList();
		Path reportFile = Path.of(System.getProperty("bench.report", "docs/benchmarks.md"));
		Path results = Path.of("target", "bench", "results.tsv");
		Files.deleteIfExists(results);
		Context context = new Context(System.getProperty("java.class.path"),
				Context.stompClassPath(Path.of(System.getProperty("bench.stomp", "../bench-stomp/target"))),
				Integer.getInteger("bench.rounds", 5), Integer.getInteger("bench.seconds", 4), new Results(results),
				Context.baselineClassPath(System.getProperty("bench.baseline", "none")));
		Instant started = Instant.now();
		for (Scenario scenario : scenarios) {
			Context.log("Scenario " + scenario.name());
			scenario.run(context);
		}
		Duration took = Duration.between(started, Instant.now());
		Report report = new Report(reportFile);
		Header.write(report, context, scenarios, selection, took);
		for (Scenario scenario : scenarios) {
			scenario.report(context, report);
			if (!context.results().of(scenario.name()).isEmpty()) {
				findings(scenario.name()).ifPresent(report::paragraph);
			}
		}
		report.write();
		Context.log("Wrote " + reportFile.toAbsolutePath() + " after " + took.toMinutes() + " min; results in "
				+ results.toAbsolutePath());
	}

	// What the profiles of a scenario showed, and what was or would be done about it.
	private static Optional<String> findings(String scenario) throws IOException {
		try (InputStream in = Bench.class.getResourceAsStream("findings/" + scenario + ".md")) {
			return (in != null) ? Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip())
					: Optional.empty();
		}
	}

	private static Scenario scenario(String name) {
		Scenario scenario = SCENARIOS.get(name);
		if (scenario == null) {
			throw new IllegalArgumentException(
					"No scenario '" + name + "'; the scenarios are " + String.join(", ", SCENARIOS.keySet()));
		}
		return scenario;
	}

	static List<String> names() {
		return new ArrayList<>(SCENARIOS.keySet());
	}

	static String format(String pattern, Object... args) {
		return String.format(Locale.ROOT, pattern, args);
	}

}
