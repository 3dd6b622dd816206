package dev.switchboard.registry.redis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.switchboard.test.TestRedis;
import dev.switchboard.test.TestRedisCluster;

/**
 * The Redis topology the cross-instance tests run on, chosen by the system property
 * {@value #PROPERTY}: {@code standalone} (the default, the single-slot layout on one
 * server), {@code spread} (the spread layout on one server) or {@code cluster} (a Redis
 * Cluster of three masters with a replica each, the spread layout and sharded pub/sub).
 * The shared server stands for whichever it is; a test's own server stays standalone.
 */
final class Topology {

	static final String PROPERTY = "switchboard.test.topology";

	private static @Nullable TestRedisCluster cluster;

	private Topology() {
	}

	/**
	 * The cluster that the shared server stands for, started on first use and stopped
	 * with the JVM.
	 */
	static synchronized TestRedisCluster cluster() {
		if (cluster == null) {
			cluster = TestRedisCluster.start();
		}
		return cluster;
	}

	static boolean isCluster() {
		return name().equals("cluster");
	}

	static String name() {
		return System.getProperty(PROPERTY, "standalone").toLowerCase(Locale.ROOT);
	}

	static boolean isSpread() {
		return !name().equals("standalone");
	}

	/**
	 * The keys as the instances on the shared server name them.
	 */
	static RedisKeys keys(String prefix) {
		return new RedisKeys(prefix, isSpread() ? RedisKeys.Layout.SPREAD : RedisKeys.Layout.SINGLE_SLOT);
	}

	/**
	 * Boot's properties for an instance on a server: the shared one stands for the
	 * topology under test.
	 */
	static Map<String, String> springProperties(TestRedis redis) {
		if (redis != TestRedis.shared()) {
			return redis.springProperties();
		}
		Map<String, String> properties = new LinkedHashMap<>(
				isCluster() ? cluster().springProperties() : redis.springProperties());
		if (name().equals("spread")) {
			properties.put("switchboard.redis.key-layout", "spread");
		}
		if (isSpread()) {
			// A send takes two round trips, not one: bursts of a thousand, on a machine
			// that runs every instance and the cluster too, take longer.
			properties.put("switchboard.redis.command-timeout", "900ms");
		}
		return properties;
	}

	/**
	 * Runs a command on the shared server, on the node that owns the slot of its first
	 * key, the argument after the command's name.
	 */
	static String command(String... args) {
		if (!isCluster()) {
			return TestRedis.shared().command(args);
		}
		boolean eval = args[0].equalsIgnoreCase("EVAL") || args[0].equalsIgnoreCase("EVALSHA");
		String key = eval ? args[3] : args[1];
		return cluster().masterOf(key).command(args);
	}

	/**
	 * The keys of a prefix on the shared server, on every node.
	 */
	static List<String> keysOf(String prefix) {
		List<String> keys = new ArrayList<>();
		for (String pattern : new String[] { "{" + prefix + "}:*", "{" + prefix + ":*" }) {
			List<String> found = new ArrayList<>();
			if (isCluster()) {
				cluster().masters().forEach((master) -> found.add(master.command("KEYS", pattern)));
			}
			else {
				found.add(TestRedis.shared().command("KEYS", pattern));
			}
			for (String reply : found) {
				if (reply.length() > 2) {
					keys.addAll(List.of(reply.substring(1, reply.length() - 1).split(", ")));
				}
			}
		}
		Collections.sort(keys);
		return keys;
	}

	/**
	 * The keys of a prefix that stay while the instances run, whatever their connections:
	 * the epoch, the leases and, in the spread layout, each instance's alive key.
	 */
	static boolean isLeaseKey(String key) {
		return key.endsWith("}:epoch") || key.endsWith("}:instances") || key.endsWith("}:alive");
	}

}
