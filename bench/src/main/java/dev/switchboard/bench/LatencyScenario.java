package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.bench.report.Chart;
import dev.switchboard.bench.report.Report;
import dev.switchboard.bench.report.Result;
import dev.switchboard.bench.report.Stats;

/**
 * Echo, open loop: 16 connections send 64-byte messages on a fixed schedule, at half the
 * rate raw Reactor Netty reaches in a closed loop (measured first, in the same run), and
 * every latency counts from the time its message was due, so that a server that falls
 * behind shows it.
 */
final class LatencyScenario implements Scenario {

	private static final String CONFIG = "16 conn, 64 B, open loop";

	private static final Map<String, String> VARIANTS = new LinkedHashMap<>();

	static {
		VARIANTS.put("raw", "/ws/echo");
		VARIANTS.put("webflux", "/ws/echo");
		VARIANTS.put("switchboard-mono", "/ws/echo-mono");
		VARIANTS.put("switchboard-plain", "/ws/echo-plain");
	}

	@Override
	public String name() {
		return "latency";
	}

	@Override
	public void run(Context context) {
		try (Server raw = Server.raw(context);
				Server webflux = Server.webflux(context);
				Server switchboard = Server.switchboard(context, "switchboard", List.of())) {
			Map<String, Double> closedLoop = Load.run(context, List.of(raw),
					List.of("mode=echo", "url=" + raw.url("/ws/echo"), "connections=16", "size=64", "warmup=2",
							"local=" + Context.nextLocalAddress()));
			double rate = Math.floor(closedLoop.get("throughput") / 2);
			context.results()
				.note(name(),
						Bench.format(
								"Offered rate: %,.0f messages per second, half of the %,.0f raw Reactor "
										+ "Netty reached in a closed loop at the start of the run.",
								rate, closedLoop.get("throughput")));
			for (int round = 0; round <= context.rounds(); round++) {
				for (String variant : Scenario.alternate(List.copyOf(VARIANTS.keySet()), round)) {
					Server server = variant.equals("raw") ? raw : variant.equals("webflux") ? webflux : switchboard;
					Map<String, Double> values = Load.run(context, List.of(server),
							List.of("mode=echo", "url=" + server.url(VARIANTS.get(variant)), "connections=16",
									"size=64", "rate=" + rate, "warmup=1", "local=" + Context.nextLocalAddress()));
					values.put("cpuPerMessage", values.get("serverCpu") / values.get("messages"));
					Context.log(Bench.format("latency %s round %d: p50 %.0f us, p99 %.0f us, %.0f msg/s", variant,
							round, values.get("p50"), values.get("p99"), values.get("throughput")));
					if (round > 0) {
						context.results().add(new Result(name(), CONFIG, variant, round, values));
					}
				}
			}
		}
	}

	@Override
	public void report(Context context, Report report) {
		List<Result> results = context.results().of(name());
		if (results.isEmpty()) {
			return;
		}
		report.heading(2, "Latency at a fixed rate (`latency`)")
			.paragraph("Open loop: 16 connections send 64-byte messages on a fixed schedule, at half the rate raw "
					+ "Reactor Netty reaches in a closed loop, and each latency counts from the time the message was "
					+ "due, so that a server that falls behind cannot hide it. Target: p99 at 1.2x raw or less for "
					+ "`switchboard-mono`.");
		context.results().notes(name()).forEach(report::paragraph);
		List<List<String>> rows = new ArrayList<>();
		Chart chart = new Chart("Latency at a fixed rate: p99 vs raw", "median ratio of p99 to raw's", 1.2);
		for (String variant : VARIANTS.keySet()) {
			Stats p99Ratio = Stats.ratio(results, CONFIG, variant, "raw", (r) -> r.value("p99"));
			rows.add(List.of(variant,
					Stats.of(results, CONFIG, variant, (r) -> r.value("throughput")).valueText(" msg/s", 0),
					Stats.of(results, CONFIG, variant, (r) -> r.value("p50")).valueText(" µs", 0),
					Stats.of(results, CONFIG, variant, (r) -> r.value("p99")).valueText(" µs", 0),
					Stats.of(results, CONFIG, variant, (r) -> r.value("p999")).valueText(" µs", 0),
					Stats.ratio(results, CONFIG, variant, "raw", (r) -> r.value("p50")).ratioText(),
					p99Ratio.ratioText(),
					Stats.ratio(results, CONFIG, variant, "raw", (r) -> r.value("cpuPerMessage")).ratioText()));
			if (!variant.equals("raw")) {
				chart.row(variant, p99Ratio);
			}
		}
		report.table(List.of("variant", "throughput", "p50", "p99", "p99.9", "p50 vs raw", "p99 vs raw",
				"server CPU per message vs raw"), rows);
		report.chart("bench-latency", "Latency at a fixed rate", chart);
	}

}
