package dev.switchboard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import dev.switchboard.bench.report.Report;
import dev.switchboard.bench.report.Result;
import dev.switchboard.bench.report.Stats;

/**
 * What connections cost Redis: the commands of a connect and of a disconnect, read from
 * {@code INFO commandstats}, and Redis's memory per open connection, with 1,000
 * connections of 1,000 users on one instance and the default per-user limit on; once with
 * each connection in no room, once with each in one of 100 rooms.
 */
final class RedisCostScenario implements Scenario {

	private static final int CONNECTIONS = 1000;

	private static final Map<String, String> CONFIGS = new LinkedHashMap<>();

	static {
		CONFIGS.put("1,000 users", "/ws/hub?user=user-{i}");
		CONFIGS.put("1,000 users in 100 rooms", "/ws/hub?user=user-{i}&room=room-{r}");
	}

	private static final Duration SETTLE = Duration.ofSeconds(60);

	@Override
	public String name() {
		return "redis-cost";
	}

	@Override
	public void run(Context context) {
		try (Redis redis = Redis.start();
				Server server = Server.switchboard(context, "switchboard-redis",
						concat(redis.properties(), List.of("--switchboard.limits.connections-per-user=5")))) {
			for (int round = 0; round <= context.rounds(); round++) {
				for (String config : Scenario.alternate(List.copyOf(CONFIGS.keySet()), round)) {
					Map<String, Double> values = measure(redis, server, context, CONFIGS.get(config));
					Context.log(Bench.format("redis-cost %s round %d: %s", config, round, values));
					if (round > 0) {
						context.results().add(new Result(name(), config, "switchboard", round, values));
					}
				}
			}
		}
	}

	private static Map<String, Double> measure(Redis redis, Server server, Context context, String path) {
		String url = server.url(path);
		long keysBefore = keys(redis);
		long memoryBefore = redis.usedMemory();
		Map<String, Long> before = redis.commandCalls();
		Map<String, Double> values = new HashMap<>();
		try (Jvm client = Jvm.start("load", List.of("-Xmx1g"), context.classPath(),
				"dev.switchboard.bench.load.LoadClient", List.of("mode=idle", "url=" + url, "rooms=100",
						"connections=" + CONNECTIONS, "hello=true", "local=" + Context.nextLocalAddress()))) {
			client.await("READY", Duration.ofMinutes(2));
			Map<String, Long> connected = redis.commandCalls();
			values.put("memoryPerConnection", (double) (redis.usedMemory() - memoryBefore) / CONNECTIONS);
			values.put("keysPerConnection", (double) (keys(redis) - keysBefore) / CONNECTIONS);
			perConnection(values, "connect.", before, connected);
			client.closeInput();
			client.waitFor(Duration.ofSeconds(30));
			awaitKeys(redis, keysBefore);
			perConnection(values, "disconnect.", connected, redis.commandCalls());
		}
		return values;
	}

	private static void perConnection(Map<String, Double> values, String prefix, Map<String, Long> from,
			Map<String, Long> to) {
		double all = 0;
		for (Map.Entry<String, Long> entry : to.entrySet()) {
			long calls = entry.getValue() - from.getOrDefault(entry.getKey(), 0L);
			if (calls > 0 && !entry.getKey().equals("info") && !entry.getKey().equals("dbsize")) {
				values.put(prefix + entry.getKey(), (double) calls / CONNECTIONS);
				all += calls;
			}
		}
		values.put(prefix + "all", all / CONNECTIONS);
	}

	private static long keys(Redis redis) {
		return Long.parseLong(redis.cli("DBSIZE"));
	}

	// Disconnects are done once the connections' keys are gone.
	private static void awaitKeys(Redis redis, long keys) {
		long deadline = System.nanoTime() + SETTLE.toNanos();
		while (keys(redis) > keys) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The connections' keys were still in Redis after " + SETTLE);
			}
			try {
				TimeUnit.MILLISECONDS.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	@Override
	public void report(Context context, Report report) {
		List<Result> results = context.results().of(name());
		if (results.isEmpty()) {
			return;
		}
		report.heading(2, "Redis cost per connection (`redis-cost`)")
			.paragraph(Bench.format("One instance on the Redis registry, with the per-user connection limit on "
					+ "(5): %,d connections of %,d users open and wait for their hello, then close. Commands come "
					+ "from `INFO commandstats` (commands that scripts run count too), memory from `INFO memory`'s "
					+ "`used_memory`, each divided by the number of connections; the heartbeat's own commands run "
					+ "meanwhile and show as fractions.", CONNECTIONS, CONNECTIONS));
		for (String config : CONFIGS.keySet()) {
			report.heading(3, config);
			List<List<String>> rows = new ArrayList<>();
			rows.add(List.of("Redis memory per open connection",
					Stats.of(results, config, "switchboard", (r) -> r.value("memoryPerConnection"))
						.valueText(" bytes", 0)));
			rows.add(List.of("Keys per open connection",
					Stats.of(results, config, "switchboard", (r) -> r.value("keysPerConnection")).valueText("", 2)));
			TreeSet<String> figures = new TreeSet<>();
			results.stream()
				.filter((r) -> r.config().equals(config))
				.forEach((r) -> figures.addAll(r.values().keySet()));
			for (String phase : List.of("connect.", "disconnect.")) {
				for (String figure : figures) {
					if (figure.startsWith(phase)) {
						String command = figure.substring(phase.length());
						rows.add(List.of(
								(command.equals("all") ? "All commands" : "`" + command.toUpperCase() + "`") + " per "
										+ phase.substring(0, phase.length() - 1),
								Stats.of(results, config, "switchboard", (r) -> {
									double value = r.value(figure);
									return Double.isNaN(value) ? 0 : value;
								}).valueText("", 2)));
					}
				}
			}
			report.table(List.of("figure", "median across rounds"), rows);
		}
	}

}
