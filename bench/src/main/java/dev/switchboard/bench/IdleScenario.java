package dev.switchboard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.bench.report.Report;
import dev.switchboard.bench.report.Result;
import dev.switchboard.bench.report.Stats;

/**
 * Idle connections: 19,000 held on one server, as many as the open-file limit of a
 * process here allows, from two load generators with source addresses of their own on
 * 127.0.0.0/8 (each process has the same limit); the server's heap after full GCs and its
 * resident memory, before and with them, per connection. Every round starts each server
 * afresh.
 */
final class IdleScenario implements Scenario {

	private static final String CONFIG = "19,000 idle connections";

	private static final int CLIENTS = 2;

	private static final int PER_CLIENT = 9500;

	private static final Map<String, String> VARIANTS = new LinkedHashMap<>();

	static {
		VARIANTS.put("raw", "/ws/echo");
		VARIANTS.put("webflux", "/ws/echo");
		VARIANTS.put("switchboard", "/ws/echo-mono");
	}

	@Override
	public String name() {
		return "idle";
	}

	@Override
	public void run(Context context) {
		for (int round = 0; round <= context.rounds(); round++) {
			for (String variant : Scenario.alternate(List.copyOf(VARIANTS.keySet()), round)) {
				Map<String, Double> values = measure(context, variant);
				Context.log(Bench.format("idle %s round %d: %.0f bytes of heap, %.0f bytes resident per connection",
						variant, round, values.get("heapPerConnection"), values.get("rssPerConnection")));
				if (round > 0) {
					context.results().add(new Result(name(), CONFIG, variant, round, values));
				}
			}
		}
	}

	private static Map<String, Double> measure(Context context, String variant) {
		try (Server server = start(context, variant)) {
			long[] before = server.memory();
			List<Jvm> clients = new ArrayList<>();
			try {
				for (int i = 0; i < CLIENTS; i++) {
					clients.add(Jvm.start("load-idle", List.of("-Xmx2g"), context.classPath(),
							"dev.switchboard.bench.load.LoadClient",
							List.of("mode=idle", "url=" + server.url(VARIANTS.get(variant)),
									"connections=" + PER_CLIENT, "local=" + Context.nextLocalAddress())));
				}
				for (Jvm client : clients) {
					client.await("READY", Duration.ofMinutes(3));
				}
				long[] with = server.memory();
				int connections = CLIENTS * PER_CLIENT;
				Map<String, Double> values = new HashMap<>();
				values.put("connections", (double) connections);
				values.put("heapBefore", (double) before[0]);
				values.put("heapWith", (double) with[0]);
				values.put("rssWith", (double) with[1]);
				values.put("heapPerConnection", (double) (with[0] - before[0]) / connections);
				values.put("rssPerConnection", (double) (with[1] - before[1]) / connections);
				return values;
			}
			finally {
				clients.forEach(Jvm::close);
			}
		}
	}

	private static Server start(Context context, String variant) {
		return switch (variant) {
			case "raw" -> Server.raw(context);
			case "webflux" -> Server.webflux(context);
			default -> Server.switchboard(context, variant, List.of());
		};
	}

	@Override
	public void report(Context context, Report report) {
		List<Result> results = context.results().of(name());
		if (results.isEmpty()) {
			return;
		}
		report.heading(2, "Idle connections (`idle`)")
			.paragraph(Bench.format("%,d idle WebSocket connections on one server, opened by %d load generators "
					+ "of %,d connections each, from source addresses of their own on 127.0.0.0/8: a process here "
					+ "may hold about 20,000 open files, so %,d is what one instance can hold. Heap is measured "
					+ "after full GCs, before the connections open and while they are held, resident memory "
					+ "(`VmRSS`) at the same moments; each server starts afresh every round. `switchboard` is the "
					+ "`@Socket` with one `@OnMessage` method returning a `Mono`, with "
					+ "`switchboard.limits.connections-per-instance` raised to 30,000. Target: raw + 2 KB of heap "
					+ "per connection or less.", CLIENTS * PER_CLIENT, CLIENTS, PER_CLIENT, CLIENTS * PER_CLIENT));
		List<List<String>> rows = new ArrayList<>();
		for (String variant : VARIANTS.keySet()) {
			List<Double> overRaw = new ArrayList<>();
			for (Result result : results) {
				if (result.variant().equals(variant)) {
					results.stream()
						.filter((r) -> r.variant().equals("raw") && r.round() == result.round())
						.forEach((raw) -> overRaw
							.add(result.value("heapPerConnection") - raw.value("heapPerConnection")));
				}
			}
			Stats over = Stats.of(overRaw);
			rows.add(List.of(variant,
					Stats.of(results, CONFIG, variant, (r) -> r.value("connections")).valueText("", 0),
					kilobytes(Stats.of(results, CONFIG, variant, (r) -> r.value("heapPerConnection"))), kilobytes(over),
					kilobytes(Stats.of(results, CONFIG, variant, (r) -> r.value("rssPerConnection"))),
					Stats.of(results, CONFIG, variant, (r) -> r.value("heapWith") / 1048576).valueText(" MB", 0),
					Stats.of(results, CONFIG, variant, (r) -> r.value("rssWith") / 1048576).valueText(" MB", 0)));
		}
		report.table(List.of("variant", "connections held", "heap per connection", "heap per connection over raw",
				"resident memory per connection", "heap with them", "resident memory with them"), rows);
		report.paragraph("For sizing: an instance needs about the heap per connection times the connections it "
				+ "holds, above its heap at rest, and one open file per connection.");
	}

	private static String kilobytes(Stats stats) {
		if (stats.count() == 0) {
			return "–";
		}
		return Bench.format("%.2f KB (%.2f–%.2f)", stats.median() / 1024, stats.min() / 1024, stats.max() / 1024);
	}

}
