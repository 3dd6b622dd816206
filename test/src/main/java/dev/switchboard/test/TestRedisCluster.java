package dev.switchboard.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of three masters with a replica each, six {@code redis-server}
 * processes that the tests start on free loopback ports, each in a temporary directory of
 * its own where it writes its cluster configuration file, without persistence, with a
 * {@code cluster-node-timeout} of {@link #NODE_TIMEOUT}.
 * {@code redis-cli --cluster create} assigns the 16384 slots to the masters and a replica
 * to each.
 * <p>
 * Roles change on a failover: {@link #masters()} and {@link #replicas()} read them from
 * the servers each time. Only servers it started are ever stopped; port 6379 is never
 * used, as every port is chosen free. {@link #close()} stops everything.
 *
 * @since 0.1.0
 */
public final class TestRedisCluster implements AutoCloseable {

	/**
	 * The nodes' {@code cluster-node-timeout}.
	 */
	public static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);

	private static final int MASTERS = 3;

	private static final int SLOTS = 16384;

	private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);

	private final Path directory;

	private final List<Node> nodes = new ArrayList<>();

	private TestRedisCluster(Path directory) {
		this.directory = directory;
		Runtime.getRuntime().addShutdownHook(new Thread(this::close, "test-redis-cluster-shutdown"));
	}

	/**
	 * Starts six nodes, makes a cluster of them, and returns once every node sees the
	 * cluster ok with every slot assigned, and every replica is in sync with its master.
	 * @return the started cluster; {@link #close()} it when done
	 */
	public static TestRedisCluster start() {
		Path server = RedisProcess.findRedisServer("the Redis Cluster tests");
		Path cli = TestRedis.findOnPath("redis-cli");
		if (cli == null) {
			throw new AssertionError("No redis-cli on the PATH for the Redis Cluster tests: "
					+ "install the Debian package redis-tools (apt-get install -y redis-tools)");
		}
		TestRedisCluster cluster = new TestRedisCluster(RedisProcess.createTempDirectory("switchboard-cluster-"));
		try {
			for (int i = 1; i <= MASTERS * 2; i++) {
				RedisProcess process = new RedisProcess("node" + i, cluster.directory);
				cluster.nodes.add(new Node(process));
				process.start(process.serverCommand(server,
						List.of("--cluster-enabled", "yes", "--cluster-config-file",
								process.directory().resolve("nodes.conf").toString(), "--cluster-node-timeout",
								String.valueOf(NODE_TIMEOUT.toMillis()))));
			}
			cluster.create(cli);
			cluster.awaitReady();
			return cluster;
		}
		catch (RuntimeException | Error ex) {
			cluster.close();
			throw ex;
		}
	}

	private void create(Path cli) {
		List<String> command = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
		this.nodes.forEach((node) -> command.add(node.address()));
		command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
		Path log = this.directory.resolve("create.log");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			if (!process.waitFor(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new AssertionError(
						"redis-cli --cluster create did not finish within " + CREATE_TIMEOUT + createLog(log));
			}
			if (process.exitValue() != 0) {
				throw new AssertionError(
						"redis-cli --cluster create exited with code " + process.exitValue() + createLog(log));
			}
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot run " + String.join(" ", command) + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while creating the cluster", ex);
		}
	}

	private static String createLog(Path log) {
		try {
			return "\nIts output:\n" + Files.readString(log).strip();
		}
		catch (IOException ex) {
			return "";
		}
	}

	/**
	 * Spring Boot properties that point an application at the cluster, with Lettuce
	 * refreshing its view of the cluster on redirections and every second, so that it
	 * follows a failover.
	 * @return {@code spring.data.redis.cluster.nodes} and
	 * {@code spring.data.redis.lettuce.cluster.refresh.*}
	 */
	public Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.cluster.nodes",
				this.nodes.stream().map(Node::address).collect(Collectors.joining(",")));
		properties.put("spring.data.redis.lettuce.cluster.refresh.adaptive", "true");
		properties.put("spring.data.redis.lettuce.cluster.refresh.period", "1s");
		return properties;
	}

	/**
	 * Every node, in the order they were started.
	 * @return the nodes
	 */
	public List<Node> nodes() {
		return List.copyOf(this.nodes);
	}

	/**
	 * The nodes that are masters now, as each reports itself in {@code CLUSTER NODES}.
	 * @return the masters
	 */
	public List<Node> masters() {
		return this.nodes.stream().filter(Node::isMaster).toList();
	}

	/**
	 * The nodes that are replicas now, as each reports itself in {@code CLUSTER NODES}.
	 * @return the replicas
	 */
	public List<Node> replicas() {
		return this.nodes.stream().filter((node) -> !node.isMaster()).toList();
	}

	/**
	 * The replicas of a master now, as each reports itself in {@code CLUSTER NODES}.
	 * @param master the master
	 * @return its replicas
	 */
	public List<Node> replicasOf(Node master) {
		String id = master.self().id();
		return this.nodes.stream().filter((node) -> id.equals(node.self().masterId())).toList();
	}

	/**
	 * The hash slot of a key ({@code CLUSTER KEYSLOT}).
	 * @param key the key, or a shard channel's name
	 * @return the slot, from 0 to 16383
	 */
	public int slotOf(String key) {
		return Integer.parseInt(this.nodes.get(0).command("CLUSTER", "KEYSLOT", key));
	}

	/**
	 * The master that serves a key's slot now, as it reports itself.
	 * @param key the key, or a shard channel's name
	 * @return the master
	 */
	public Node masterOf(String key) {
		int slot = slotOf(key);
		return masters().stream()
			.filter((master) -> master.self().serves(slot))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No master serves slot " + slot + describe()));
	}

	/**
	 * Asks a replica to take over from its master ({@code CLUSTER FAILOVER}), and waits
	 * until it is a master and the cluster is ready again: every node sees the cluster ok
	 * and the same masters, and the former master is a replica in sync.
	 * @param replica the replica to promote
	 * @return the replica, now a master
	 */
	public Node failover(Node replica) {
		if (replica.isMaster()) {
			throw new IllegalArgumentException(replica + " is a master already");
		}
		String reply = replica.command("CLUSTER", "FAILOVER");
		if (!"OK".equals(reply)) {
			throw new AssertionError("CLUSTER FAILOVER answered " + reply + " on " + replica);
		}
		RedisProcess.awaitUntil(() -> replica.isMaster() && isReady(), RedisProcess.STARTUP_TIMEOUT,
				() -> replica + " to become a master" + describe());
		return replica;
	}

	/**
	 * Waits until every node sees the cluster ok with every slot served, every node sees
	 * the same three masters, and every replica is in sync with its master.
	 */
	public void awaitReady() {
		RedisProcess.awaitUntil(this::isReady, RedisProcess.STARTUP_TIMEOUT, () -> "the cluster" + describe());
	}

	private boolean isReady() {
		try {
			return isConsistent();
		}
		catch (AssertionError ex) {
			// a node that does not answer now
			return false;
		}
	}

	private boolean isConsistent() {
		Set<Integer> masters = new HashSet<>();
		for (Node node : this.nodes) {
			Map<String, String> info = clusterInfo(node);
			if (!"ok".equals(info.get("cluster_state")) || !String.valueOf(SLOTS).equals(info.get("cluster_slots_ok"))
					|| !String.valueOf(this.nodes.size()).equals(info.get("cluster_known_nodes"))) {
				return false;
			}
			if (node.isMaster()) {
				masters.add(node.port());
			}
			else if (!"up".equals(RedisProcess.infoField(RedisProcess.info(node.port()), "master_link_status"))) {
				return false;
			}
		}
		if (masters.size() != MASTERS) {
			return false;
		}
		for (Node node : this.nodes) {
			Set<Integer> seen = node.view()
				.stream()
				.filter((entry) -> entry.flags().contains("master") && !entry.isFailing())
				.map(ClusterNode::port)
				.collect(Collectors.toSet());
			if (!seen.equals(masters)) {
				return false;
			}
		}
		return true;
	}

	private static Map<String, String> clusterInfo(Node node) {
		Map<String, String> fields = new LinkedHashMap<>();
		Object reply = RedisProcess.reply(node.port(), "CLUSTER", "INFO");
		if (reply instanceof String text) {
			text.lines()
				.map((line) -> line.split(":", 2))
				.filter((pair) -> pair.length == 2)
				.forEach((pair) -> fields.put(pair[0].trim(), pair[1].trim()));
		}
		return fields;
	}

	/**
	 * What the nodes report, for failure messages.
	 * @return one line per node, its {@code CLUSTER NODES} entry for itself
	 */
	public String describe() {
		StringBuilder text = new StringBuilder();
		for (Node node : this.nodes) {
			text.append('\n').append(node).append(": ");
			Object reply = RedisProcess.reply(node.port(), "CLUSTER", "NODES");
			text.append((reply instanceof String lines)
					? lines.lines().filter((line) -> line.contains("myself")).findFirst().orElse("?") : "no answer");
		}
		return text.toString();
	}

	/**
	 * Stops every node and deletes their directories.
	 */
	@Override
	public synchronized void close() {
		this.nodes.forEach((node) -> node.process.stop());
		RedisProcess.deleteRecursively(this.directory);
	}

	@Override
	public String toString() {
		return "Redis Cluster " + springProperties().get("spring.data.redis.cluster.nodes");
	}

	/**
	 * A node of the cluster.
	 */
	public static final class Node {

		private final RedisProcess process;

		private Node(RedisProcess process) {
			this.process = process;
		}

		/**
		 * Port of the node, on {@code 127.0.0.1}.
		 * @return the port
		 */
		public int port() {
			return this.process.port();
		}

		/**
		 * Address of the node.
		 * @return {@code 127.0.0.1:port}
		 */
		public String address() {
			return RedisProcess.HOST + ":" + port();
		}

		/**
		 * Sends one command to this node on a connection of its own, without following
		 * redirections, and renders the reply as {@link TestRedis#command(String...)}
		 * does.
		 * @param args the command and its arguments
		 * @return the rendered reply, such as {@code (error) MOVED 3999 127.0.0.1:7001}
		 */
		public String command(String... args) {
			if (args.length == 0) {
				throw new IllegalArgumentException("No command");
			}
			return RedisProcess.command(port(), args);
		}

		/**
		 * Calls of a command on this node since it started or {@link #resetStats()}, read
		 * from {@code INFO commandstats}.
		 * @param command the command's name, case-insensitive, as {@code spublish}
		 * @return the number of calls, {@code 0} when it was never called
		 */
		public long commandCalls(String command) {
			return TestRedis.commandCalls(command("INFO", "commandstats"), command);
		}

		/**
		 * Resets the node's stats ({@code CONFIG RESETSTAT}), such as the command calls.
		 */
		public void resetStats() {
			command("CONFIG", "RESETSTAT");
		}

		/**
		 * Number of keys the node holds ({@code DBSIZE}).
		 * @return the number of keys
		 */
		public long keyCount() {
			return Long.parseLong(command("DBSIZE"));
		}

		/**
		 * Whether the node is a master now, as it reports itself in
		 * {@code CLUSTER NODES}.
		 * @return whether it is a master
		 */
		public boolean isMaster() {
			return self().flags().contains("master");
		}

		ClusterNode self() {
			return view().stream()
				.filter((entry) -> entry.flags().contains("myself"))
				.findFirst()
				.orElseThrow(() -> new AssertionError(this + " does not list itself in CLUSTER NODES"));
		}

		List<ClusterNode> view() {
			Object reply = RedisProcess.reply(port(), "CLUSTER", "NODES");
			if (!(reply instanceof String text)) {
				return List.of();
			}
			return text.lines().filter((line) -> !line.isBlank()).map(ClusterNode::parse).toList();
		}

		@Override
		public String toString() {
			return "cluster " + this.process;
		}

	}

	/**
	 * A line of {@code CLUSTER NODES}:
	 * {@code id ip:port@cport flags master ping pong epoch link slot...}.
	 *
	 * @param id the node's id
	 * @param port the node's port
	 * @param flags the node's flags, such as {@code myself} and {@code master}
	 * @param masterId the id of its master, {@code -} for a master
	 * @param slots the slot ranges it serves, each as {@code {first, last}}
	 */
	record ClusterNode(String id, int port, Set<String> flags, String masterId, List<int[]> slots) {

		static ClusterNode parse(String line) {
			String[] fields = line.trim().split(" ");
			String address = fields[1];
			int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1, address.indexOf('@')));
			List<int[]> slots = new ArrayList<>();
			for (int i = 8; i < fields.length; i++) {
				// an importing or migrating slot is shown as [slot-<-id] or [slot->-id]
				if (!fields[i].startsWith("[")) {
					String[] range = fields[i].split("-");
					int first = Integer.parseInt(range[0]);
					slots.add(new int[] { first, (range.length > 1) ? Integer.parseInt(range[1]) : first });
				}
			}
			return new ClusterNode(fields[0], port, Set.of(fields[2].split(",")), fields[3], slots);
		}

		boolean serves(int slot) {
			return this.slots.stream().anyMatch((range) -> range[0] <= slot && slot <= range[1]);
		}

		boolean isFailing() {
			return this.flags.contains("fail") || this.flags.contains("fail?") || this.flags.contains("handshake")
					|| this.flags.contains("noaddr");
		}

	}

}
