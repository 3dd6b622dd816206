package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import dev.switchboard.bench.report.Report;

/**
 * The report's head: what ran, on what, and how to run it again.
 */
final class Header {

	private Header() {
	}

	static void write(Report report, Context context, List<Scenario> scenarios, String selection, Duration took) {
		report.heading(1, "Benchmarks")
			.paragraph(
					"Written by the benchmark suite (`bench/`) on " + LocalDate.now() + ", after " + took.toMinutes()
							+ " minutes: do not edit by hand. Scenarios run: "
							+ String.join(", ",
									scenarios.stream().map((scenario) -> "`" + scenario.name() + "`").toList())
							+ ".")
			.heading(2, "How it is measured")
			.paragraph("Every server and every load generator runs in a JVM of its own, the servers with the same "
					+ "flags (`" + String.join(" ", Jvm.SERVER_FLAGS) + "`). The load generator is built on Reactor "
					+ "Netty's WebSocket client and records latencies with HdrHistogram; it shares the machine "
					+ "with the server, so every figure is compared with a reference measured in the same round, "
					+ "never across runs. Each scenario runs a warm-up round, then " + context.rounds()
					+ ((context.rounds() == 1) ? " round" : " rounds")
					+ " in which its variants alternate (each round starts with another variant, in another order); "
					+ "each run warms up for a second or two, then measures for " + context.seconds()
					+ " seconds (fan-out for 10 at least). Tables give medians across rounds; ratios are medians "
					+ "of the ratios taken round by round, with the smallest and largest in brackets. Server CPU "
					+ "time is read from `/proc/<pid>/stat` over the measured window; before each run, the runner "
					+ "waits until the servers are idle.")
			.heading(2, "Machine")
			.table(List.of("", ""),
					List.of(List.of("CPU", cpu()),
							List.of("Cores", String.valueOf(Runtime.getRuntime().availableProcessors())),
							List.of("Memory", memory()),
							List.of("OS", System.getProperty("os.name") + " " + System.getProperty("os.version")),
							List.of("JVM",
									System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"))))
			.heading(2, "Running it")
			.paragraph("The whole suite, which writes this file and its charts in `docs/images`:")
			.paragraph("```shell\nmvn -P bench -pl bench -am -DskipTests verify\n```")
			.paragraph("One scenario, or several, and shorter runs while working on one:")
			.paragraph("```shell\nmvn -P bench -pl bench -am -DskipTests verify -Dbench.scenario=echo,json "
					+ "-Dbench.rounds=3 -Dbench.seconds=3\n```")
			.paragraph("The scenarios are "
					+ String.join(", ", Bench.names().stream().map((n) -> "`" + n + "`").toList())
					+ ". The run needs `redis-server`, `redis-cli` and `redis-benchmark` for the Redis scenarios; logs of every "
					+ "JVM are in `bench/target/bench/logs`, and every result in `bench/target/bench/results.tsv`."
					+ (selection.equals("all") ? "" : " This report holds only the scenarios run.")
					+ " `-Dbench.variants`, a regular expression, runs only the variants whose names match "
					+ "(and each scenario's reference); `-Dbench.connections` and `-Dbench.sizes` choose the echo "
					+ "configurations; `-Dbench.baseline` adds the Switchboard endpoints of another checkout's "
					+ "build, to compare a change side by side.")
			.paragraph("This report's run: `" + thisRun() + "`.");
	}

	private static String thisRun() {
		StringBuilder command = new StringBuilder("mvn -P bench -pl bench -am -DskipTests verify");
		for (String property : List.of("bench.scenario", "bench.rounds", "bench.seconds", "bench.connections",
				"bench.sizes", "bench.variants")) {
			String value = System.getProperty(property, "");
			if (!value.isBlank() && !value.equals("all") && !value.equals(".*")) {
				command.append(" -D").append(property).append('=').append(value);
			}
		}
		if (!System.getProperty("bench.baseline", "none").equals("none")) {
			command.append(" -Dbench.baseline=<another checkout>/bench/target");
		}
		return command.toString();
	}

	private static String cpu() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					return line.substring(line.indexOf(':') + 1).trim();
				}
			}
		}
		catch (IOException ex) {
			// Not on Linux.
		}
		return System.getProperty("os.arch");
	}

	private static String memory() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal:")) {
					long kilobytes = Long.parseLong(line.replaceAll("[^0-9]", ""));
					return (kilobytes / 1024 / 1024) + " GiB";
				}
			}
		}
		catch (IOException ex) {
			// Not on Linux.
		}
		return "unknown";
	}

}
