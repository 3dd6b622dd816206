package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.switchboard.bench.report.Report;
import dev.switchboard.bench.report.Result;
import dev.switchboard.bench.report.Stats;
import dev.switchboard.test.TestRedisCluster;

/**
 * Redis Cluster against a standalone Redis, side by side in the same rounds: a standalone
 * Redis with the single-slot layout and classic pub/sub, and a Redis Cluster of three
 * masters with a replica each, started for the run, with the spread layout and sharded
 * pub/sub, then with classic pub/sub. Two instances on each; the receivers connect to
 * one, the publisher to the other. Directed sends go to a user whose
 * {@value CrossInstanceScenario#RECEIVERS} connections receive, from a socket that
 * pipelines them; broadcasts go to a socket, to 1,000 subscribers. Besides deliveries per
 * second, the run reads {@code INFO cpu}, {@code INFO commandstats} and
 * {@code CLUSTER INFO} on every node at the start and the end of the measured window: the
 * Redis CPU time per delivery, and on how many nodes each published message was handled.
 */
final class ClusterScenario implements Scenario {

	private static final String STANDALONE = "standalone";

	private static final String SHARDED = "cluster-sharded";

	private static final String CLASSIC = "cluster-classic";

	private static final String DIRECTED = "directed to a user, 10 receivers";

	private static final String BROADCAST = "broadcast to a socket, 1,000 subscribers";

	private static final int RATE = 5_000;

	private static final FanOutScenario.Config FAN_OUT = new FanOutScenario.Config(1000, 20);

	// Counted on every node: the messages it was asked to publish, and those another node
	// forwarded to it over the cluster bus.
	private static final List<String> PUB_SUB = List.of("cmdstat_publish", "cmdstat_spublish",
			"cluster_stats_messages_publish_received", "cluster_stats_messages_publishshard_received");

	@Override
	public String name() {
		return "cluster";
	}

	@Override
	public void run(Context context) {
		int fanOutSeconds = Math.max(context.seconds(), 10);
		try (Redis redis = Redis.start(); TestRedisCluster cluster = TestRedisCluster.start()) {
			List<Setup> setups = new ArrayList<>();
			try {
				setups.add(new Setup(context, STANDALONE, redis.properties(), "single-slot", "classic",
						List.of(new Node("redis", (args) -> redis.cli(args)))));
				List<Node> nodes = new ArrayList<>();
				for (TestRedisCluster.Node node : cluster.nodes()) {
					nodes.add(new Node((node.isMaster() ? "master " : "replica ") + node.port(), node::command));
				}
				List<String> clusterProperties = new ArrayList<>(List.of("--switchboard.registry=redis"));
				cluster.springProperties().forEach((name, value) -> clusterProperties.add("--" + name + "=" + value));
				setups.add(new Setup(context, SHARDED, clusterProperties, "spread", "sharded", nodes));
				setups.add(new Setup(context, CLASSIC, clusterProperties, "spread", "classic", nodes));
				setups.removeIf((setup) -> !setup.name().equals(STANDALONE) && !Scenario.selected(setup.name()));
				for (int round = 0; round <= context.rounds(); round++) {
					for (Setup setup : Scenario.alternate(setups, round)) {
						Map<String, Double> directed = CrossInstanceScenario.run(context, setup.directed(), RATE,
								setup::counters);
						record(context, round, DIRECTED, setup, directed);
						Map<String, Double> broadcast = FanOutScenario.run(context, setup.broadcast(), FAN_OUT,
								fanOutSeconds, setup::counters);
						record(context, round, BROADCAST, setup, broadcast);
					}
				}
			}
			finally {
				setups.forEach(Setup::close);
			}
		}
	}

	private void record(Context context, int round, String config, Setup setup, Map<String, Double> values) {
		double deliveries = values.get("deliveries");
		values.put("deliveriesPerSecond", deliveries / values.get("seconds"));
		double cpu = 0;
		double published = 0;
		double handled = 0;
		for (Node node : setup.nodes()) {
			cpu += values.getOrDefault(node.name() + ".cpu", 0.0);
			published += values.getOrDefault(node.name() + ".published", 0.0);
			handled += values.getOrDefault(node.name() + ".handled", 0.0);
		}
		values.put("redisCpuPerDelivery", cpu * 1e6 / deliveries);
		values.put("published", published);
		values.put("nodesPerMessage", handled / published);
		for (Node node : setup.nodes()) {
			values.put("share." + node.name(), values.getOrDefault(node.name() + ".handled", 0.0) / published);
		}
		Context.log(Bench.format(
				"cluster %s %s round %d: %.0f deliveries/s, %.2f us Redis CPU per delivery, "
						+ "%.0f published, each handled on %.2f nodes",
				config, setup.name(), round, values.get("deliveriesPerSecond"), values.get("redisCpuPerDelivery"),
				published, values.get("nodesPerMessage")));
		if (round > 0) {
			context.results().add(new Result(name(), config, setup.name(), round, values));
		}
	}

	@Override
	public void report(Context context, Report report) {
		List<Result> results = context.results().of(name());
		if (results.isEmpty()) {
			return;
		}
		report.heading(2, "Redis Cluster (`cluster`)")
			.paragraph(Bench.format("The same two instances' traffic on a standalone Redis (`%s`: single-slot "
					+ "layout, classic pub/sub) and on a Redis Cluster of three masters with a replica each, all "
					+ "on this machine, with the spread layout and sharded pub/sub (`%s`) or classic pub/sub "
					+ "(`%s`); the setups alternate in every round. Receivers connect to one instance, the "
					+ "publisher to the other. Directed: %,d sends a second to a user whose %d connections "
					+ "receive, from a socket that pipelines its sends (`concurrency = 64, ordered = true`); "
					+ "broadcast: %d messages a second to a socket, to %,d subscribers. Redis CPU is "
					+ "`used_cpu_sys` + `used_cpu_user` from `INFO cpu`, summed over every node, over the "
					+ "measured window, per delivery. A published message is handled on a node when the node "
					+ "runs its `PUBLISH` or `SPUBLISH` (`INFO commandstats`) or receives it from another node "
					+ "over the cluster bus (`CLUSTER INFO`'s `cluster_stats_messages_publish_received` and "
					+ "`cluster_stats_messages_publishshard_received`). Ratios are to `%s` in the same round.",
					STANDALONE, SHARDED, CLASSIC, RATE, CrossInstanceScenario.RECEIVERS, FAN_OUT.rate(),
					FAN_OUT.subscribers(), STANDALONE));
		List<List<String>> rows = new ArrayList<>();
		for (String config : List.of(DIRECTED, BROADCAST)) {
			for (String setup : List.of(STANDALONE, SHARDED, CLASSIC)) {
				if (Stats.of(results, config, setup, (r) -> r.value("deliveriesPerSecond")).count() == 0) {
					continue;
				}
				rows.add(List.of(config, setup,
						Stats.of(results, config, setup, (r) -> r.value("deliveriesPerSecond")).valueText("", 0),
						Stats.ratio(results, config, setup, STANDALONE, (r) -> r.value("deliveriesPerSecond"))
							.ratioText(),
						Stats.of(results, config, setup, (r) -> r.value("redisCpuPerDelivery")).valueText(" µs", 2),
						Stats.ratio(results, config, setup, STANDALONE, (r) -> r.value("redisCpuPerDelivery"))
							.ratioText(),
						Stats.of(results, config, setup, (r) -> r.value("nodesPerMessage")).valueText("", 2)));
			}
		}
		report.table(List.of("traffic", "Redis", "deliveries per second", "vs standalone", "Redis CPU per delivery",
				"vs standalone", "nodes handling each published message"), rows);
		report.paragraph("Where the published messages were handled, per node of the Cluster: the messages it "
				+ "handled divided by the messages published (1.00: every message).");
		List<List<String>> shares = new ArrayList<>();
		for (String node : nodeNames(results)) {
			List<String> row = new ArrayList<>(List.of(node));
			for (String config : List.of(DIRECTED, BROADCAST)) {
				for (String setup : List.of(SHARDED, CLASSIC)) {
					row.add(Stats.of(results, config, setup, (r) -> r.value("share." + node)).valueText("", 2));
				}
			}
			shares.add(row);
		}
		report.table(
				List.of("node", "directed, sharded", "directed, classic", "broadcast, sharded", "broadcast, classic"),
				shares);
	}

	private static List<String> nodeNames(List<Result> results) {
		return results.stream()
			.filter((result) -> !result.variant().equals(STANDALONE))
			.flatMap((result) -> result.values().keySet().stream())
			.filter((name) -> name.startsWith("share."))
			.map((name) -> name.substring("share.".length()))
			.distinct()
			.sorted()
			.toList();
	}

	/**
	 * A Redis node whose counters the run reads.
	 *
	 * @param name its name in the report
	 * @param command runs a command on it, and renders the reply as text
	 */
	record Node(String name, Function<String[], String> command) {

		/**
		 * Reads its CPU time and pub/sub counters.
		 * @param counters where to put them, under its name
		 */
		void read(Map<String, Double> counters) {
			Map<String, String> fields = new LinkedHashMap<>();
			parse(this.command.apply(new String[] { "INFO", "cpu", "commandstats" }), fields);
			parse(this.command.apply(new String[] { "CLUSTER", "INFO" }), fields);
			counters.put(this.name + ".cpu", Double.parseDouble(fields.getOrDefault("used_cpu_sys", "0"))
					+ Double.parseDouble(fields.getOrDefault("used_cpu_user", "0")));
			counters.put(this.name + ".published",
					calls(fields, "cmdstat_publish") + calls(fields, "cmdstat_spublish"));
			double handled = 0;
			for (String counter : PUB_SUB) {
				handled += counter.startsWith("cmdstat_") ? calls(fields, counter)
						: Double.parseDouble(fields.getOrDefault(counter, "0"));
			}
			counters.put(this.name + ".handled", handled);
		}

		// "cmdstat_publish:calls=12,usec=..."
		private static double calls(Map<String, String> fields, String command) {
			String value = fields.get(command);
			if (value == null) {
				return 0;
			}
			return Double.parseDouble(value.substring(value.indexOf("calls=") + 6, value.indexOf(',')));
		}

		private static void parse(String text, Map<String, String> fields) {
			for (String line : text.split("\n")) {
				int colon = line.indexOf(':');
				if (colon > 0) {
					fields.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
				}
			}
		}

	}

	/**
	 * One Redis set-up, with its two instances.
	 */
	private static final class Setup implements AutoCloseable {

		private final String name;

		private final List<Node> nodes;

		private final Server publisher;

		private final Server receivers;

		Setup(Context context, String name, List<String> redis, String keyLayout, String pubSub, List<Node> nodes) {
			this.name = name;
			this.nodes = nodes;
			List<String> properties = new ArrayList<>(redis);
			// A prefix of its own: the two Cluster set-ups share the Cluster.
			properties.addAll(List.of("--switchboard.redis.key-prefix=bench-" + name,
					"--switchboard.redis.key-layout=" + keyLayout, "--switchboard.redis.pub-sub=" + pubSub));
			this.publisher = Server.switchboard(context, "switchboard-" + name + "-a", properties);
			try {
				this.receivers = Server.switchboard(context, "switchboard-" + name + "-b", properties);
			}
			catch (RuntimeException ex) {
				this.publisher.close();
				throw ex;
			}
		}

		String name() {
			return this.name;
		}

		List<Node> nodes() {
			return this.nodes;
		}

		CrossInstanceScenario.Variant directed() {
			return new CrossInstanceScenario.Variant(this.receivers, "/ws/hub?user=bench-user", this.publisher,
					"/ws/publish-ordered?mode=user&to=bench-user", CrossInstanceScenario.RECEIVERS, true);
		}

		FanOutScenario.Variant broadcast() {
			return new FanOutScenario.Variant(this.receivers, "/ws/hub", this.publisher, "/ws/publish?mode=socket",
					true);
		}

		Map<String, Double> counters() {
			Map<String, Double> counters = new LinkedHashMap<>();
			this.nodes.forEach((node) -> node.read(counters));
			return counters;
		}

		@Override
		public void close() {
			this.receivers.close();
			this.publisher.close();
		}

	}

}
