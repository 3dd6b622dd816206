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
 * Fan-out: subscribers hold connections, one connection publishes at a fixed rate, and
 * each message goes to every subscriber; the figure is the time from when a message was
 * due until the last subscriber has it. Raw Reactor Netty writes each message to a
 * {@code ChannelGroup}; Switchboard sends it with {@code toSocket("hub").send(...)}, or
 * to a room every subscriber joined, on one instance, and, with 1,000 subscribers, from a
 * second instance through Redis.
 */
final class FanOutScenario implements Scenario {

	private static final List<Config> CONFIGS = List.of(new Config(1000, 20), new Config(10000, 4));

	@Override
	public String name() {
		return "fanout";
	}

	@Override
	public void run(Context context) {
		int seconds = Math.max(context.seconds(), 10);
		for (Config config : CONFIGS) {
			try (Redis redis = Redis.start();
					Server raw = Server.raw(context);
					Server switchboard = Server.switchboard(context, "switchboard", List.of());
					Server redisA = Server.switchboard(context, "switchboard-redis-a", redis.properties());
					Server redisB = Server.switchboard(context, "switchboard-redis-b", redis.properties())) {
				Map<String, Variant> variants = new LinkedHashMap<>();
				variants.put("raw", new Variant(raw, "/ws/hub", raw, "/ws/publish", false));
				variants.put("switchboard-socket",
						new Variant(switchboard, "/ws/hub", switchboard, "/ws/publish?mode=socket", true));
				variants.put("switchboard-room", new Variant(switchboard, "/ws/hub?room=all", switchboard,
						"/ws/publish?mode=room&to=all", true));
				if (config.subscribers() <= 1000) {
					variants.put("switchboard-redis-cross",
							new Variant(redisA, "/ws/hub", redisB, "/ws/publish?mode=socket", true));
				}
				for (int round = 0; round <= context.rounds(); round++) {
					for (String name : Scenario.alternate(List.copyOf(variants.keySet()), round)) {
						Map<String, Double> values = run(context, variants.get(name), config, seconds, Map::of);
						Context
							.log(Bench.format(
									"fanout %s %s round %d: last receipt p50 %.0f us, p99 %.0f us, "
											+ "%.0f incomplete",
									config.label(), name, round, values.get("p50"), values.get("p99"),
									values.get("incomplete")));
						if (round > 0) {
							context.results().add(new Result(name(), config.label(), name, round, values));
						}
					}
				}
			}
		}
	}

	/**
	 * Runs the load generator once for a variant.
	 * @param context the run's context
	 * @param variant where the subscribers and the publisher connect
	 * @param config how many subscribers, and how many messages a second
	 * @param seconds the measured window
	 * @param counters counters to read at the start and the end of the measured window
	 * @return what it measured
	 */
	static Map<String, Double> run(Context context, Variant variant, Config config, int seconds,
			Supplier<Map<String, Double>> counters) {
		List<Server> measured = (variant.hub() == variant.publisher()) ? List.of(variant.hub())
				: List.of(variant.hub(), variant.publisher());
		return Load.run(context, measured, seconds,
				List.of("mode=fanout", "url=" + variant.hub().url(variant.hubPath()),
						"publish=" + variant.publisher().url(variant.publishPath()),
						"subscribers=" + config.subscribers(), "rate=" + config.rate(), "warmup=2",
						"hello=" + variant.hello(), "local=" + Context.nextLocalAddress()),
				counters);
	}

	@Override
	public void report(Context context, Report report) {
		List<Result> results = context.results().of(name());
		if (results.isEmpty()) {
			return;
		}
		report.heading(2, "Fan-out (`fanout`)")
			.paragraph("Subscribers hold connections; one connection publishes 64-byte messages at a fixed rate, "
					+ "and each message goes to every subscriber. Latency runs from the time a message was due "
					+ "until the last subscriber has it. `raw` writes each message to a Netty `ChannelGroup`; "
					+ "`switchboard-socket` sends it with `toSocket(\"hub\").send(...)`, `switchboard-room` to a "
					+ "room every subscriber joined, both on one instance with the in-memory registry; "
					+ "`switchboard-redis-cross` publishes on a second instance, through Redis, to subscribers on "
					+ "the first. Target: p50 and p99 at 1.1x raw or less with 10,000 subscribers.");
		Chart chart = new Chart("Fan-out: p99 to the last receipt vs raw", "median ratio of p99 to raw's", 1.1);
		for (Config config : CONFIGS) {
			report.heading(3, config.label());
			List<List<String>> rows = new ArrayList<>();
			for (String variant : List.of("raw", "switchboard-socket", "switchboard-room", "switchboard-redis-cross")) {
				if (Stats.of(results, config.label(), variant, (r) -> r.value("p50")).count() == 0) {
					continue;
				}
				Stats p99Ratio = Stats.ratio(results, config.label(), variant, "raw", (r) -> r.value("p99"));
				rows.add(List.of(variant,
						Stats.of(results, config.label(), variant, (r) -> r.value("p50")).valueText(" µs", 0),
						Stats.of(results, config.label(), variant, (r) -> r.value("p99")).valueText(" µs", 0),
						Stats.ratio(results, config.label(), variant, "raw", (r) -> r.value("p50")).ratioText(),
						p99Ratio.ratioText(),
						Stats.of(results, config.label(), variant, (r) -> r.value("messages")).valueText("", 0),
						Stats.of(results, config.label(), variant, (r) -> r.value("incomplete")).valueText("", 0)));
				if (!variant.equals("raw")) {
					chart.row(config.label() + ", " + variant, p99Ratio);
				}
			}
			report.table(List.of("variant", "p50 to last receipt", "p99 to last receipt", "p50 vs raw", "p99 vs raw",
					"messages measured", "incomplete at the end"), rows);
		}
		report.chart("bench-fanout", "Fan-out", chart);
	}

	/**
	 * Subscribers and messages per second.
	 *
	 * @param subscribers how many subscribers
	 * @param rate messages per second
	 */
	record Config(int subscribers, int rate) {

		String label() {
			return Bench.format("%,d subscribers, %d msg/s", this.subscribers, this.rate);
		}

	}

	/**
	 * Where subscribers connect, and where the publisher does.
	 *
	 * @param hub the subscribers' server
	 * @param hubPath the subscribers' path
	 * @param publisher the publisher's server
	 * @param publishPath the publisher's path
	 * @param hello whether the server says hello once a subscriber is registered
	 */
	record Variant(Server hub, String hubPath, Server publisher, String publishPath, boolean hello) {
	}

}
