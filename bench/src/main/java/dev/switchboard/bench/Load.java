package dev.switchboard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the load generator once against servers, and reads what it measured, with the
 * servers' CPU time over the same window.
 */
final class Load {

	private static final Duration TIMEOUT = Duration.ofMinutes(3);

	private Load() {
	}

	/**
	 * Runs the load generator to its end.
	 * @param context the run's context
	 * @param servers the servers whose CPU time counts
	 * @param args the generator's arguments, {@code key=value}
	 * @return what it measured, with {@code serverCpu} in seconds
	 */
	static Map<String, Double> run(Context context, List<Server> servers, List<String> args) {
		return run(context, servers, context.seconds(), args);
	}

	/**
	 * Runs the load generator to its end, with a measured window of its own length.
	 * @param context the run's context
	 * @param servers the servers whose CPU time counts
	 * @param seconds the measured window
	 * @param args the generator's arguments, {@code key=value}
	 * @return what it measured, with {@code serverCpu} in seconds
	 */
	static Map<String, Double> run(Context context, List<Server> servers, int seconds, List<String> args) {
		return run(context, servers, seconds, args, Map::of);
	}

	/**
	 * Runs the load generator to its end, and reads counters, such as Redis's, at the
	 * start and at the end of the measured window.
	 * @param context the run's context
	 * @param servers the servers whose CPU time counts
	 * @param seconds the measured window
	 * @param args the generator's arguments, {@code key=value}
	 * @param counters reads the counters, by name
	 * @return what it measured, with {@code serverCpu} in seconds and each counter's
	 * increase over the window under its name
	 */
	static Map<String, Double> run(Context context, List<Server> servers, int seconds, List<String> args,
			Supplier<Map<String, Double>> counters) {
		servers.forEach(Server::awaitIdle);
		List<String> all = new ArrayList<>(args);
		all.add("seconds=" + seconds);
		try (Jvm client = Jvm.start("load", List.of("-Xmx2g", "-XX:+UseG1GC"), context.classPath(),
				"dev.switchboard.bench.load.LoadClient", all)) {
			client.await("MEASURE_START", TIMEOUT);
			double start = cpu(servers);
			Map<String, Double> countersAtStart = counters.get();
			client.await("MEASURE_END", TIMEOUT);
			double end = cpu(servers);
			Map<String, Double> countersAtEnd = counters.get();
			Map<String, Double> result = parse(client.await("RESULT ", TIMEOUT));
			result.put("serverCpu", end - start);
			countersAtEnd.forEach((name, value) -> result.put(name, value - countersAtStart.getOrDefault(name, 0.0)));
			client.waitFor(Duration.ofSeconds(30));
			return result;
		}
	}

	private static double cpu(List<Server> servers) {
		return servers.stream().mapToDouble(Server::cpuSeconds).sum();
	}

	static Map<String, Double> parse(String line) {
		Map<String, Double> values = new HashMap<>();
		for (String part : line.substring("RESULT ".length()).trim().split(" ")) {
			int equals = part.indexOf('=');
			if (equals > 0) {
				try {
					values.put(part.substring(0, equals), Double.parseDouble(part.substring(equals + 1)));
				}
				catch (NumberFormatException ex) {
					// not a number: left out
				}
			}
		}
		return values;
	}

}
