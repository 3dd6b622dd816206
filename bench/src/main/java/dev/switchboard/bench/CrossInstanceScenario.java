package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.switchboard.bench.report.Chart;
import dev.switchboard.bench.report.Report;
import dev.switchboard.bench.report.Result;
import dev.switchboard.bench.report.Stats;

/**
 * Directed sends: one connection publishes at a fixed rate, through Switchboard, to a
 * connection, a user, a room or a socket whose 10 receivers are on one instance, the
 * publisher on the same instance ({@code local}) or on another ({@code cross}), with the
 * Redis registry; next to the same sends on one instance with the in-memory registry, the
 * raw hub, and the PUBLISH rate {@code redis-benchmark} reaches against the same Redis in
 * the same round.
 */
final class CrossInstanceScenario implements Scenario {

	private static final String CONFIG = "10 receivers, 64 B";

	static final int RECEIVERS = 10;

	private static final int RATE = 10_000;

	private static final String LOCAL = "switchboard-memory-socket";

	private static final String BENCHMARK = "redis-benchmark";

	private static final String KEPT_ROOM = "bench-kept";

	@Override
	public String name() {
		return "cross";
	}

	@Override
	public void run(Context context) {
		try (Redis redis = Redis.start();
				Server raw = Server.raw(context);
				Server memory = Server.switchboard(context, "switchboard-memory", List.of());
				Server a = Server.switchboard(context, "switchboard-redis-a", withHistory(redis.properties()));
				Server b = Server.switchboard(context, "switchboard-redis-b", withHistory(redis.properties()))) {
			Map<String, Variant> variants = variants(raw, memory, a, b);
			List<String> order = new ArrayList<>(variants.keySet());
			order.add(BENCHMARK);
			for (int round = 0; round <= context.rounds(); round++) {
				for (String name : Scenario.alternate(order, round)) {
					Map<String, Double> values = name.equals(BENCHMARK) ? publishRates(redis)
							: measure(context, redis, variants.get(name));
					Context.log(Bench.format("cross %s round %d: %s", name, round, values));
					if (round > 0) {
						context.results().add(new Result(name(), CONFIG, name, round, values));
					}
				}
			}
		}
	}

	private static Map<String, Variant> variants(Server raw, Server memory, Server a, Server b) {
		Map<String, Variant> variants = new LinkedHashMap<>();
		variants.put("raw-hub", new Variant(raw, "/ws/hub", raw, "/ws/publish", RECEIVERS, false));
		variants.put(LOCAL, new Variant(memory, "/ws/hub", memory, "/ws/publish?mode=socket", RECEIVERS, true));
		for (String placement : List.of("local", "cross")) {
			Server publisher = placement.equals("local") ? a : b;
			variants.put("redis-" + placement + "-connection",
					new Variant(a, "/ws/hub", publisher, "/ws/publish?mode=connection&to={id}", 1, true));
			variants.put("redis-" + placement + "-user", new Variant(a, "/ws/hub?user=bench-user", publisher,
					"/ws/publish?mode=user&to=bench-user", RECEIVERS, true));
			variants.put("redis-" + placement + "-room", new Variant(a, "/ws/hub?room=bench-room", publisher,
					"/ws/publish?mode=room&to=bench-room", RECEIVERS, true));
			variants.put("redis-" + placement + "-room-history", new Variant(a, "/ws/hub?room=" + KEPT_ROOM, publisher,
					"/ws/publish?mode=room&to=" + KEPT_ROOM, RECEIVERS, true));
			variants.put("redis-" + placement + "-socket",
					new Variant(a, "/ws/hub", publisher, "/ws/publish?mode=socket", RECEIVERS, true));
			variants.put("redis-" + placement + "-socket-ordered",
					new Variant(a, "/ws/hub", publisher, "/ws/publish-ordered?mode=socket", RECEIVERS, true));
		}
		variants.keySet().removeIf((name) -> !name.equals(LOCAL) && !Scenario.selected(name));
		return variants;
	}

	// One room keeps a history (in Redis, as the registry): the -room-history variants
	// send
	// to it, the others to rooms without.
	private static List<String> withHistory(List<String> properties) {
		List<String> all = new ArrayList<>(properties);
		all.add("--switchboard.history.streams[0].pattern=room:" + KEPT_ROOM);
		all.add("--switchboard.history.streams[0].size=100");
		all.add("--switchboard.history.streams[0].age=5m");
		return all;
	}

	private static Map<String, Double> measure(Context context, Redis redis, Variant variant) {
		Map<String, Long> before = redis.commandCalls();
		Map<String, Double> values = run(context, variant, RATE, Map::of);
		Map<String, Long> after = redis.commandCalls();
		// The sends the servers made: those still queued when the run ended cost nothing
		// yet.
		double sends = values.get("receivedTotal") / variant.deliveriesPerSend();
		values.put("sendsPerSecond", values.get("throughput") / variant.deliveriesPerSend());
		values.put("publishPerSend", delta(before, after, "publish") / sends);
		values.put("evalshaPerSend", delta(before, after, "evalsha") / sends);
		long commands = after.values().stream().mapToLong(Long::longValue).sum()
				- before.values().stream().mapToLong(Long::longValue).sum();
		values.put("commandsPerSend", commands / sends);
		return values;
	}

	/**
	 * Runs the load generator once for a variant: {@link #RECEIVERS} receivers, and one
	 * publisher sending at a fixed rate.
	 * @param context the run's context
	 * @param variant where the receivers and the publisher connect
	 * @param rate sends per second
	 * @param counters counters to read at the start and the end of the measured window
	 * @return what it measured
	 */
	static Map<String, Double> run(Context context, Variant variant, int rate, Supplier<Map<String, Double>> counters) {
		List<Server> measured = (variant.receivers() == variant.publisher()) ? List.of(variant.receivers())
				: List.of(variant.receivers(), variant.publisher());
		return Load.run(context, measured, context.seconds(),
				List.of("mode=directed", "url=" + variant.receivers().url(variant.receiversPath()),
						"publish=" + variant.publisher().url(variant.publishPath()), "receivers=" + RECEIVERS,
						"rate=" + rate, "warmup=2", "hello=" + variant.hello(), "local=" + Context.nextLocalAddress()),
				counters);
	}

	private static double delta(Map<String, Long> before, Map<String, Long> after, String command) {
		return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
	}

	private static Map<String, Double> publishRates(Redis redis) {
		Map<String, Double> values = new LinkedHashMap<>();
		values.put("oneClient", redis.publishRate(1, 1, 100_000));
		values.put("fiftyClients", redis.publishRate(50, 1, 200_000));
		values.put("pipelined", redis.publishRate(1, 16, 500_000));
		return values;
	}

	@Override
	public void report(Context context, Report report) {
		List<Result> results = context.results().of(name());
		if (results.isEmpty()) {
			return;
		}
		report.heading(2, "Directed sends across instances (`cross`)")
			.paragraph(Bench.format("One connection publishes 64-byte messages at %,d a second through "
					+ "`Switchboard`: to one connection (`connection`), to a user whose %d connections receive "
					+ "(`user`), to a room they joined (`room`) or to their socket (`socket`), all %d on one "
					+ "instance with the Redis registry. The `room-history` variants send to a room that keeps a "
					+ "history of 100 messages in Redis (see docs/recovery.md): each send also gives the message its "
					+ "position and keeps it, in the same script run. The publisher is on the same instance (`local`) or on "
					+ "another (`cross`). The `-ordered` variants send to the socket from a socket declared with "
					+ "`concurrency = 64, ordered = true`, which handles the next message without waiting for the "
					+ "previous send's round trip to Redis, in order. `switchboard-memory-socket` is the socket send on one instance with the "
					+ "in-memory registry, `raw-hub` the raw Reactor Netty hub. Latency runs from the time a "
					+ "message was due until a receiver has it, so a publisher that falls behind shows as latency "
					+ "that grows. `redis-benchmark` gives the PUBLISH rate of the same Redis in the same round, "
					+ "with one connection, with 50, and with one connection pipelining 16. Targets: the Redis "
					+ "variants at 0.7x or more of the lower of the local rate (`%s`) and one connection's "
					+ "PUBLISH rate, with one PUBLISH per send; 10,000 messages a second or more to the socket, "
					+ "local and across instances, none out of order.", RATE, RECEIVERS, RECEIVERS, LOCAL));
		Stats oneClient = Stats.of(results, CONFIG, BENCHMARK, (r) -> r.value("oneClient"));
		report.table(List.of("redis-benchmark PUBLISH", "requests per second"),
				List.of(List.of("1 connection", oneClient.valueText("", 0)),
						List.of("50 connections",
								Stats.of(results, CONFIG, BENCHMARK, (r) -> r.value("fiftyClients")).valueText("", 0)),
						List.of("1 connection, pipeline of 16",
								Stats.of(results, CONFIG, BENCHMARK, (r) -> r.value("pipelined")).valueText("", 0))));
		List<List<String>> rows = new ArrayList<>();
		Chart chart = new Chart("Directed sends: rate vs the lower of local and PUBLISH",
				"median ratio of sends per second to min(local rate, 1-connection PUBLISH rate)", 0.7);
		for (Result first : results) {
			if (first.round() != 1 || first.variant().equals(BENCHMARK)) {
				continue;
			}
			String variant = first.variant();
			List<Double> ratios = new ArrayList<>();
			for (Result result : results) {
				if (!result.variant().equals(variant)) {
					continue;
				}
				double local = value(results, LOCAL, result.round(), "sendsPerSecond");
				double publish = value(results, BENCHMARK, result.round(), "oneClient");
				ratios.add(result.value("sendsPerSecond") / Math.min(local, publish));
			}
			Stats ratio = Stats.of(ratios);
			rows.add(List.of(variant,
					Stats.of(results, CONFIG, variant, (r) -> r.value("sendsPerSecond")).valueText("", 0),
					ratio.ratioText(), Stats.of(results, CONFIG, variant, (r) -> r.value("p50")).valueText(" µs", 0),
					Stats.of(results, CONFIG, variant, (r) -> r.value("p99")).valueText(" µs", 0),
					Stats.of(results, CONFIG, variant, (r) -> r.value("reordered")).valueText("", 0),
					variant.startsWith("redis")
							? Stats.of(results, CONFIG, variant, (r) -> r.value("publishPerSend")).valueText("", 2)
							: "–",
					variant.startsWith("redis")
							? Stats.of(results, CONFIG, variant, (r) -> r.value("commandsPerSend")).valueText("", 2)
							: "–"));
			if (variant.startsWith("redis")) {
				chart.row(variant, ratio);
			}
		}
		report.table(List.of("variant", "sends per second", "vs min(local, PUBLISH)", "p50", "p99", "out of order",
				"PUBLISH per send", "Redis commands per send"), rows);
		report.chart("bench-cross", "Directed sends across instances", chart);
	}

	private static double value(List<Result> results, String variant, int round, String figure) {
		return results.stream()
			.filter((r) -> r.variant().equals(variant) && r.round() == round)
			.mapToDouble((r) -> r.value(figure))
			.findFirst()
			.orElse(Double.NaN);
	}

	/**
	 * Where the receivers connect, and where the publisher does.
	 *
	 * @param receivers the receivers' server
	 * @param receiversPath the receivers' path
	 * @param publisher the publisher's server
	 * @param publishPath the publisher's path, {@code {id}} for the first receiver's id
	 * @param deliveriesPerSend how many receivers each send reaches
	 * @param hello whether the server says hello once a receiver is registered
	 */
	record Variant(Server receivers, String receiversPath, Server publisher, String publishPath, int deliveriesPerSend,
			boolean hello) {
	}

}
