package dev.switchboard.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A master, a replica and three Sentinels, all {@code redis-server} processes that the
 * tests start on free loopback ports, each in a temporary directory of its own; the
 * Sentinels rewrite their generated configuration files there. The Sentinels monitor the
 * master under {@link #MASTER_NAME} with a quorum of two, find it down after
 * {@link #DOWN_AFTER} and give a failover {@link #FAILOVER_TIMEOUT}.
 * <p>
 * Only servers it started are ever stopped or killed; port 6379 is never used, as every
 * port is chosen free. {@link #close()} stops everything.
 *
 * @since 0.1.0
 */
public final class TestRedisSentinel implements AutoCloseable {

	/**
	 * The name under which the Sentinels monitor the master.
	 */
	public static final String MASTER_NAME = "switchboard";

	/**
	 * Sentinels' {@code down-after-milliseconds}.
	 */
	public static final Duration DOWN_AFTER = Duration.ofSeconds(2);

	/**
	 * Sentinels' {@code failover-timeout}.
	 */
	public static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(10);

	private static final String HOST = RedisProcess.HOST;

	private static final int SENTINELS = 3;

	private final Path executable;

	private final Path directory;

	private final List<RedisProcess> dataNodes = new ArrayList<>();

	private final List<RedisProcess> sentinels = new ArrayList<>();

	private TestRedisSentinel(Path executable, Path directory) {
		this.executable = executable;
		this.directory = directory;
		Runtime.getRuntime().addShutdownHook(new Thread(this::close, "test-redis-sentinel-shutdown"));
	}

	/**
	 * Starts the master, the replica and the Sentinels, and returns once the Sentinels
	 * see the replica in sync and each other.
	 * @return the started set-up; {@link #close()} it when done
	 */
	public static TestRedisSentinel start() {
		Path executable = RedisProcess.findRedisServer("the Sentinel tests");
		TestRedisSentinel sentinel = new TestRedisSentinel(executable,
				RedisProcess.createTempDirectory("switchboard-sentinel-"));
		try {
			RedisProcess master = sentinel.startDataNode("master", null);
			sentinel.startDataNode("replica", master.port());
			for (int i = 1; i <= SENTINELS; i++) {
				sentinel.startSentinel("sentinel" + i, master.port());
			}
			sentinel.awaitReady();
			return sentinel;
		}
		catch (RuntimeException | Error ex) {
			sentinel.close();
			throw ex;
		}
	}

	/**
	 * Spring Boot properties that point an application at the Sentinels.
	 * @return {@code spring.data.redis.sentinel.master} and
	 * {@code spring.data.redis.sentinel.nodes}
	 */
	public Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.sentinel.master", MASTER_NAME);
		properties.put("spring.data.redis.sentinel.nodes",
				this.sentinels.stream().map((node) -> HOST + ":" + node.port()).collect(Collectors.joining(",")));
		return properties;
	}

	/**
	 * The port of the master as every Sentinel reports it; fails when they disagree.
	 * @return the master's port
	 */
	public int masterPort() {
		List<Integer> reported = this.sentinels.stream().map(this::masterPortOf).distinct().toList();
		if (reported.size() != 1 || reported.get(0) == null) {
			throw new AssertionError("The Sentinels disagree on the master: " + reported);
		}
		return reported.get(0);
	}

	/**
	 * Sends a command to the current master.
	 * @param args the command and its arguments
	 * @return the rendered reply
	 */
	public String masterCommand(String... args) {
		return RedisProcess.command(masterPort(), args);
	}

	/**
	 * Asks a Sentinel for a failover ({@code SENTINEL FAILOVER}), which promotes the
	 * replica and makes the master its replica, and returns at once.
	 * @return the port of the master when the failover was asked for
	 */
	public int failover() {
		int master = masterPort();
		String reply = RedisProcess.command(this.sentinels.get(0).port(), "SENTINEL", "FAILOVER", MASTER_NAME);
		if (!"OK".equals(reply)) {
			throw new AssertionError("SENTINEL FAILOVER answered " + reply);
		}
		return master;
	}

	/**
	 * Kills the current master with SIGKILL, as a crash would, and returns at once.
	 * @return the port of the killed master
	 */
	public int killMaster() {
		int port = masterPort();
		dataNode(port).kill();
		return port;
	}

	/**
	 * Waits until every Sentinel reports a master other than the given one, and that
	 * master answers as a master.
	 * @param oldMaster the port of the master before the failover
	 * @param timeout the longest wait
	 * @return the new master's port
	 */
	public int awaitNewMaster(int oldMaster, Duration timeout) {
		RedisProcess.awaitUntil(() -> {
			List<Integer> reported = this.sentinels.stream().map(this::masterPortOf).distinct().toList();
			return reported.size() == 1 && reported.get(0) != null && reported.get(0) != oldMaster
					&& role(reported.get(0)).equals("master");
		}, timeout, () -> "a new master after " + oldMaster);
		return masterPort();
	}

	/**
	 * The role a data node reports of itself, which for an old master stays
	 * {@code master} after a failover asked for until the Sentinels next look at it and
	 * make it a replica, about ten seconds later.
	 * @param port the data node's port
	 * @return {@code master} or {@code slave}
	 */
	public String roleOf(int port) {
		return role(dataNode(port).port());
	}

	/**
	 * Starts again, as a replica of the current master, a data node that was killed, and
	 * waits until the Sentinels see it in sync; does nothing when none was killed. Lets
	 * the next failover find a replica.
	 */
	public void restoreKilled() {
		int master = masterPort();
		for (RedisProcess node : this.dataNodes) {
			if (!node.isRunning()) {
				node.start(node.serverCommand(this.executable, List.of("--replicaof", HOST, String.valueOf(master))));
			}
		}
		awaitReady();
	}

	/**
	 * Waits until the master has a replica in sync and every Sentinel sees that replica
	 * and the two other Sentinels.
	 */
	public void awaitReady() {
		RedisProcess.awaitUntil(this::isReady, RedisProcess.STARTUP_TIMEOUT, this::describe);
	}

	private boolean isReady() {
		Integer master;
		try {
			master = masterPort();
		}
		catch (AssertionError ex) {
			return false;
		}
		if (master == null || !role(master).equals("master")) {
			return false;
		}
		for (RedisProcess node : this.dataNodes) {
			if (node.port() != master && (!node.isRunning() || !info(node.port()).contains("master_link_status:up"))) {
				return false;
			}
		}
		for (RedisProcess sentinel : this.sentinels) {
			Map<String, String> state = fields(reply(sentinel.port(), "SENTINEL", "MASTER", MASTER_NAME));
			if (!"2".equals(state.get("num-other-sentinels")) || !"1".equals(state.get("num-slaves"))
					|| !"master".equals(state.get("flags"))) {
				return false;
			}
			if (!(reply(sentinel.port(), "SENTINEL", "REPLICAS", MASTER_NAME) instanceof List<?> replicas)
					|| replicas.size() != 1 || !"slave".equals(fields(replicas.get(0)).get("flags"))
					|| !"ok".equals(fields(replicas.get(0)).get("master-link-status"))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * What the servers report, for failure messages.
	 * @return one line per server
	 */
	public String describe() {
		StringBuilder text = new StringBuilder();
		for (RedisProcess node : this.dataNodes) {
			text.append('\n')
				.append(node)
				.append(": ")
				.append(node.isRunning() ? "role " + role(node.port()) : "killed");
		}
		for (RedisProcess node : this.sentinels) {
			text.append('\n')
				.append(node)
				.append(": master ")
				.append(fields(reply(node.port(), "SENTINEL", "MASTER", MASTER_NAME)));
		}
		return text.toString();
	}

	@Override
	public synchronized void close() {
		Stream.concat(this.sentinels.stream(), this.dataNodes.stream()).forEach(RedisProcess::stop);
		RedisProcess.deleteRecursively(this.directory);
	}

	@Override
	public String toString() {
		return "Redis Sentinel set-up " + springProperties();
	}

	private RedisProcess dataNode(int port) {
		return this.dataNodes.stream()
			.filter((node) -> node.port() == port)
			.findFirst()
			.orElseThrow(() -> new AssertionError("No data node of the tests on port " + port));
	}

	private RedisProcess startDataNode(String name, @Nullable Integer masterPort) {
		RedisProcess node = new RedisProcess(name, this.directory);
		this.dataNodes.add(node);
		List<String> args = (masterPort != null) ? List.of("--replicaof", HOST, String.valueOf(masterPort)) : List.of();
		node.start(node.serverCommand(this.executable, args));
		return node;
	}

	private void startSentinel(String name, int masterPort) {
		RedisProcess node = new RedisProcess(name, this.directory);
		this.sentinels.add(node);
		Path config = node.directory().resolve("sentinel.conf");
		String text = String.join("\n", "port " + node.port(), "bind " + HOST, "protected-mode no",
				"dir " + node.directory(), "sentinel monitor " + MASTER_NAME + " " + HOST + " " + masterPort + " 2",
				"sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER.toMillis(),
				"sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT.toMillis(),
				"sentinel parallel-syncs " + MASTER_NAME + " 1", "");
		try {
			Files.writeString(config, text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + config, ex);
		}
		node.start(List.of(this.executable.toString(), config.toString(), "--sentinel"));
	}

	private @Nullable Integer masterPortOf(RedisProcess sentinel) {
		if (reply(sentinel.port(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME) instanceof List<?> address
				&& address.size() == 2) {
			return Integer.valueOf(String.valueOf(address.get(1)));
		}
		return null;
	}

	private static String role(int port) {
		return RedisProcess.infoField(info(port), "role");
	}

	private static String info(int port) {
		return RedisProcess.info(port);
	}

	private static @Nullable Object reply(int port, String... args) {
		return RedisProcess.reply(port, args);
	}

	private static Map<String, String> fields(@Nullable Object reply) {
		Map<String, String> fields = new LinkedHashMap<>();
		if (reply instanceof List<?> list) {
			for (int i = 0; i + 1 < list.size(); i += 2) {
				fields.put(String.valueOf(list.get(i)), String.valueOf(list.get(i + 1)));
			}
		}
		return fields;
	}

}
