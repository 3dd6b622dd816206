package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.switchboard.bench.report.Chart;
import dev.switchboard.bench.report.Report;
import dev.switchboard.bench.report.Result;
import dev.switchboard.bench.report.Stats;

/**
 * Echo, closed loop: each connection sends a message and waits for its echo before the
 * next. Throughput, latency and the server's CPU time per message, as ratios to raw
 * Reactor Netty measured in the same round.
 * <ul>
 * <li>{@code echo}: text echo at 1, 16 and 64 connections with 64-byte and 1 KB messages:
 * raw Reactor Netty, a plain WebFlux handler, Switchboard with a method that returns a
 * {@code Mono} and with a plain method, and Spring's STOMP support.</li>
 * <li>{@code json}: each message bound to a record and the record sent back: a plain
 * WebFlux handler binding it by hand, the reference, and Switchboard in both styles.</li>
 * <li>{@code metrics}: Switchboard's text echo with Micrometer on and off.</li>
 * </ul>
 */
final class EchoScenario implements Scenario {

	private final String name;

	private final List<Integer> connections;

	private final List<Integer> sizes;

	private final Map<String, Variant> variants;

	private final String reference;

	private EchoScenario(String name, List<Integer> connections, List<Integer> sizes, Map<String, Variant> variants,
			String reference) {
		this.name = name;
		this.connections = connections;
		this.sizes = sizes;
		variants.keySet().removeIf((variant) -> !variant.equals(reference) && !Scenario.selected(variant));
		this.variants = variants;
		this.reference = reference;
	}

	static EchoScenario text() {
		Map<String, Variant> variants = new LinkedHashMap<>();
		variants.put("raw", new Variant("raw", "/ws/echo", false));
		variants.put("webflux", new Variant("webflux", "/ws/echo", false));
		variants.put("switchboard-mono", new Variant("switchboard", "/ws/echo-mono", false));
		variants.put("switchboard-plain", new Variant("switchboard", "/ws/echo-plain", false));
		variants.put("switchboard-nonblocking", new Variant("switchboard", "/ws/echo-nonblocking", false));
		variants.put("switchboard-mono-observed", new Variant("switchboard-observed", "/ws/echo-mono", false));
		variants.put("switchboard-mono-observed-no-active",
				new Variant("switchboard-observed-no-active", "/ws/echo-mono", false));
		variants.put("switchboard-mono-traced", new Variant("switchboard-traced", "/ws/echo-mono", false));
		variants.put("stomp", new Variant("stomp", "/ws/stomp", true));
		if (!Context.baselineClassPath(System.getProperty("bench.baseline", "none")).isEmpty()) {
			variants.put("baseline-mono", new Variant("baseline", "/ws/echo-mono", false));
			variants.put("baseline-plain", new Variant("baseline", "/ws/echo-plain", false));
		}
		return new EchoScenario("echo", numbers("bench.connections", List.of(1, 16, 64)),
				numbers("bench.sizes", List.of(64, 1024)), variants, "raw");
	}

	// A run may measure some of the configurations only: -Dbench.connections=16.
	private static List<Integer> numbers(String property, List<Integer> all) {
		String value = System.getProperty(property, "all");
		return (value.isBlank() || value.equals("all")) ? all
				: Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf).toList();
	}

	static EchoScenario json() {
		Map<String, Variant> variants = new LinkedHashMap<>();
		variants.put("raw", new Variant("raw", "/ws/echo", false));
		variants.put("webflux-json", new Variant("webflux", "/ws/json", false));
		variants.put("switchboard-json-mono", new Variant("switchboard", "/ws/json-mono", false));
		variants.put("switchboard-json-plain", new Variant("switchboard", "/ws/json-plain", false));
		return new EchoScenario("json", List.of(16), numbers("bench.sizes", List.of(64, 1024)), variants,
				"webflux-json");
	}

	static EchoScenario threads() {
		Map<String, Variant> variants = new LinkedHashMap<>();
		variants.put("raw", new Variant("raw", "/ws/echo", false));
		variants.put("switchboard-plain", new Variant("switchboard", "/ws/echo-plain", false));
		variants.put("switchboard-plain-java21", new Variant("switchboard-java21", "/ws/echo-plain", false));
		variants.put("switchboard-plain-virtual", new Variant("switchboard-virtual", "/ws/echo-plain", false));
		return new EchoScenario("threads", List.of(16), List.of(64), variants, "raw");
	}

	static EchoScenario metrics() {
		Map<String, Variant> variants = new LinkedHashMap<>();
		variants.put("switchboard", new Variant("switchboard", "/ws/echo-mono", false));
		variants.put("switchboard-micrometer", new Variant("switchboard-micrometer", "/ws/echo-mono", false));
		return new EchoScenario("metrics", List.of(16), List.of(64), variants, "switchboard");
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public void run(Context context) {
		Map<String, Server> servers = new HashMap<>();
		try {
			for (Variant variant : this.variants.values()) {
				servers.computeIfAbsent(variant.server(), (server) -> start(context, server));
			}
			for (int connections : this.connections) {
				for (int size : this.sizes) {
					String config = config(connections, size);
					for (int round = 0; round <= context.rounds(); round++) {
						for (String variant : Scenario.alternate(List.copyOf(this.variants.keySet()), round)) {
							Variant spec = this.variants.get(variant);
							Server server = servers.get(spec.server());
							Map<String, Double> values = Load.run(context, List.of(server),
									List.of("mode=echo", "url=" + server.url(spec.path()), "connections=" + connections,
											"size=" + size, "warmup=1", "local=" + Context.nextLocalAddress(),
											"protocol=" + (spec.stomp() ? "stomp" : "ws")));
							values.put("cpuPerMessage", values.get("serverCpu") / values.get("messages"));
							Context.log(String.format(Locale.ROOT, "%s %s %s round %d: %.0f msg/s, p99 %.0f us",
									this.name, config, variant, round, values.get("throughput"), values.get("p99")));
							if (round > 0) {
								context.results().add(new Result(this.name, config, variant, round, values));
							}
						}
					}
				}
			}
		}
		finally {
			servers.values().forEach(Server::close);
		}
	}

	private static Server start(Context context, String server) {
		return switch (server) {
			case "raw" -> Server.raw(context);
			case "webflux" -> Server.webflux(context);
			case "stomp" -> Server.stomp(context);
			case "switchboard-micrometer" -> Server.switchboard(context, server, List.of("--metrics"));
			case "switchboard-observed" -> Server.switchboard(context, server, List.of("--bench.observations=true"));
			case "switchboard-observed-no-active" -> Server.switchboard(context, server,
					List.of("--bench.observations=true", "--bench.long-task-timers=false"));
			case "switchboard-traced" ->
				Server.switchboard(context, server, List.of("--bench.observations=true", "--bench.tracing=true"));
			case "baseline" -> Server.baseline(context, server);
			case "switchboard-java21" -> Server.switchboard(context, server, Context.java21(), List.of());
			case "switchboard-virtual" ->
				Server.switchboard(context, server, Context.java21(), List.of("--spring.threads.virtual.enabled=true"));
			default -> Server.switchboard(context, server, List.of());
		};
	}

	static String config(int connections, int size) {
		return connections + " conn, " + ((size >= 1024) ? (size / 1024) + " KB" : size + " B");
	}

	@Override
	public void report(Context context, Report report) {
		List<Result> results = context.results().of(this.name);
		if (results.isEmpty()) {
			return;
		}
		report.heading(2, title() + " (`" + this.name + "`)").paragraph(description());
		Chart chart = new Chart(title() + ": throughput vs " + this.reference,
				"median ratio to " + this.reference + " across rounds, whiskers: min and max", target());
		for (int connections : this.connections) {
			for (int size : this.sizes) {
				String config = config(connections, size);
				report.heading(3, config);
				List<List<String>> rows = new ArrayList<>();
				for (String variant : this.variants.keySet()) {
					Stats throughput = Stats.of(results, config, variant, (r) -> r.value("throughput"));
					Stats p99 = Stats.of(results, config, variant, (r) -> r.value("p99"));
					Stats perCpu = Stats.of(results, config, variant, (r) -> 1 / r.value("cpuPerMessage"));
					Stats throughputRatio = Stats.ratio(results, config, variant, this.reference,
							(r) -> r.value("throughput"));
					rows.add(List.of(variant, throughput.valueText(" msg/s", 0), throughputRatio.ratioText(),
							p99.valueText(" µs", 0),
							Stats.ratio(results, config, variant, this.reference, (r) -> r.value("p99")).ratioText(),
							Stats.ratio(results, config, variant, this.reference, (r) -> r.value("cpuPerMessage"))
								.ratioText(),
							perCpu.valueText("", 0)));
					if (!variant.equals(this.reference)) {
						chart.row(config + ", " + variant, throughputRatio);
					}
				}
				report.table(List.of("variant", "throughput", "vs " + this.reference, "p99", "p99 vs " + this.reference,
						"server CPU per message vs " + this.reference, "messages per server CPU-second"), rows);
			}
		}
		report.chart("bench-" + this.name, title(), chart);
		context.results().notes(this.name).forEach(report::paragraph);
	}

	private String title() {
		return switch (this.name) {
			case "echo" -> "Text echo";
			case "json" -> "JSON echo";
			case "threads" -> "Plain methods on virtual threads";
			default -> "Micrometer";
		};
	}

	private String description() {
		return switch (this.name) {
			case "echo" -> "Closed loop: each connection sends a JSON text message and waits for its echo before "
					+ "the next. `raw` is Reactor Netty's own echo; `webflux` a plain WebFlux `WebSocketHandler`; "
					+ "`switchboard-mono` an `@OnMessage` method that returns a `Mono` (it runs on the event loop); "
					+ "`switchboard-plain` a plain method, as the README shows (it runs off the event loop); "
					+ "`switchboard-nonblocking` the same plain method declared `@NonBlocking` (it runs on the "
					+ "event loop); "
					+ "`switchboard-mono-observed` the `switchboard-mono` endpoint with Switchboard's observations "
					+ "made, each timed by Micrometer's meter observation handler (no tracer); "
					+ "`switchboard-mono-observed-no-active` the same without the handler's long-task timers "
					+ "(`management.metrics.observations.ignored-meters=long-task-timer` in an application); "
					+ "`switchboard-mono-traced` the observed variant with a Brave tracer too, every observation sampled and "
					+ "made a span, which is dropped when it ends (no exporter); "
					+ "`stomp` Spring's STOMP support with the simple broker, on the Servlet stack. Targets: "
					+ "`switchboard-mono` at 0.95x raw's throughput or more, p99 at 1.2x or less, CPU per message "
					+ "at 1.1x or less; `switchboard-plain` at 0.85x or more, CPU per message at 1.5x or less."
					+ (this.variants.containsKey("baseline-mono")
							? " `baseline-mono` and `baseline-plain` are the same two endpoints built from another "
									+ "checkout (`-Dbench.baseline`), measured in the same rounds to compare a change."
							: "");
			case "json" -> "Each message is bound to a record, which is sent back as JSON. The reference, "
					+ "`webflux-json`, is a plain WebFlux handler doing the binding by hand with Boot's "
					+ "`JsonMapper`; Switchboard binds the payload parameter and encodes the return value. "
					+ "Target: 1.0x the reference or more.";
			case "threads" -> "The text echo of a plain method (the README's style), which runs off the event loop, "
					+ "at 16 connections with 64-byte messages: on Java 17 (`switchboard-plain`, as every other "
					+ "server), and on the newest Java 21 or later found (`-Dbench.java21`, else `/usr/lib/jvm`) "
					+ "with platform threads (`switchboard-plain-java21`) and with "
					+ "`spring.threads.virtual.enabled=true` (`switchboard-plain-virtual`), where Boot puts "
					+ "Reactor's bounded elastic scheduler, and so plain methods, on virtual threads. "
					+ "The reference, `raw`, runs on Java 17. Target: 0.85x raw or more.";
			default -> "The cost of Switchboard's meters: the text echo at 16 connections with 64-byte messages, "
					+ "with Micrometer (a `MeterRegistry`, as Actuator provides) and without.";
		};
	}

	private double target() {
		return switch (this.name) {
			case "echo" -> 0.95;
			case "json" -> 1.0;
			case "threads" -> 0.85;
			default -> Double.NaN;
		};
	}

	/**
	 * How a variant is reached.
	 *
	 * @param server the server it runs on
	 * @param path its socket's path
	 * @param stomp whether it speaks STOMP
	 */
	record Variant(String server, String path, boolean stomp) {
	}

}
