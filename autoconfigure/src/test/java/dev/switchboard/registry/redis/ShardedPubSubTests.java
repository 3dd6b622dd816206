package dev.switchboard.registry.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import reactor.core.publisher.Mono;

import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedisCluster;
import dev.switchboard.test.TestRedisCluster.Node;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sharded publish and subscribe on a real Redis Cluster of three masters with a replica
 * each, through a Lettuce cluster client configured as Spring Boot configures it for
 * {@link TestRedisCluster#springProperties()}: topology refreshed every second and on
 * redirections.
 */
@TestInstance(Lifecycle.PER_CLASS)
class ShardedPubSubTests {

	/**
	 * How long after a failover messages may take to arrive again: Lettuce's topology
	 * refresh (a second) and a new SSUBSCRIBE, with slack for a loaded 2-core machine.
	 */
	private static final Duration RESUBSCRIBED_WITHIN = Duration.ofSeconds(15);

	private TestRedisCluster cluster;

	private RedisClusterClient client;

	private ShardedPubSub pubSub;

	private final Queue<String> received = new ConcurrentLinkedQueue<>();

	private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

	@BeforeAll
	void startCluster() {
		this.cluster = TestRedisCluster.start();
		List<RedisURI> uris = this.cluster.nodes()
			.stream()
			.map((node) -> RedisURI.create("redis://" + node.address()))
			.toList();
		this.client = RedisClusterClient.create(uris);
		this.client.setOptions(ClusterClientOptions.builder()
			.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
				.enablePeriodicRefresh(Duration.ofSeconds(1))
				.enableAllAdaptiveRefreshTriggers()
				.build())
			.build());
	}

	@BeforeEach
	void createPubSub() {
		this.received.clear();
		this.failures.clear();
		this.pubSub = new ShardedPubSub(this.client);
	}

	@AfterEach
	void closePubSub() {
		this.pubSub.close();
	}

	@AfterAll
	void stopCluster() {
		this.client.shutdown();
		this.cluster.close();
	}

	@Test
	void deliversMessagesOfChannelsOnDifferentMasters() {
		List<String> channels = channelsOnTwoMasters();
		subscribe(channels);
		this.pubSub.publish(channels.get(0), bytes("first")).block(Await.TIMEOUT);
		this.pubSub.publish(channels.get(1), bytes("second")).block(Await.TIMEOUT);
		Await.until(() -> this.received.size() == 2);
		assertThat(this.received).containsExactlyInAnyOrder(channels.get(0) + "=first", channels.get(1) + "=second");
		assertThat(this.failures).isEmpty();
	}

	@Test
	void publishesOnlyOnTheMasterThatServesTheChannelsSlot() {
		String channel = "routed";
		subscribe(List.of(channel));
		Node owner = this.cluster.masterOf(channel);
		List<Node> ownShard = this.cluster.replicasOf(owner);
		this.cluster.nodes().forEach(Node::resetStats);
		for (int i = 0; i < 5; i++) {
			assertThat(this.pubSub.publish(channel, bytes("m" + i)).block(Await.TIMEOUT)).isEqualTo(1);
		}
		assertThat(owner.commandCalls("spublish")).isEqualTo(5);
		assertThat(this.cluster.nodes()).filteredOn((node) -> node != owner && !ownShard.contains(node))
			.hasSize(4)
			.allSatisfy((node) -> assertThat(node.command("INFO", "commandstats")).as(node.toString())
				.doesNotContain("cmdstat_spublish"));
		Await.until(() -> this.received.size() == 5);
	}

	@Test
	void replacesThePreviousSubscription() {
		List<String> channels = channelsOnTwoMasters();
		subscribe(List.of(channels.get(0)));
		subscribe(List.of(channels.get(1)));
		Await.until(() -> this.pubSub.publish(channels.get(0), bytes("gone")).block(Await.TIMEOUT) == 0);
		assertThat(this.pubSub.publish(channels.get(1), bytes("kept")).block(Await.TIMEOUT)).isEqualTo(1);
		Await.until(() -> this.received.contains(channels.get(1) + "=kept"));
		assertThat(this.received).containsExactly(channels.get(1) + "=kept");
	}

	@Test
	void subscribesAgainWhenTheChannelsSlotMovesOnAFailover() {
		String channel = "followed";
		String other = channelsOnTwoMasters().stream()
			.filter((name) -> this.cluster.masterOf(name) != this.cluster.masterOf(channel))
			.findFirst()
			.orElseThrow();
		subscribe(List.of(channel, other));
		Node owner = this.cluster.masterOf(channel);
		Node promoted = this.cluster.failover(this.cluster.replicasOf(owner).get(0));
		assertThat(this.cluster.masterOf(channel)).isSameAs(promoted);
		long failedOver = System.nanoTime();
		int[] sent = { 0 };
		// Until a message that the promoted master carried arrives: the demoted one may
		// carry the first, while the client's topology is not yet the new one.
		List<String> carriedByPromoted = new ArrayList<>();
		Awaitility.await().atMost(RESUBSCRIBED_WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> {
			String message = "after-" + sent[0]++;
			long before = promoted.commandCalls("spublish");
			this.pubSub.publish(channel, bytes(message)).onErrorResume((ex) -> Mono.empty()).block(Await.TIMEOUT);
			if (promoted.commandCalls("spublish") > before) {
				carriedByPromoted.add(channel + "=" + message);
			}
			return carriedByPromoted.stream().anyMatch(this.received::contains);
		});
		System.out.println("Messages arrived again " + Duration.ofNanos(System.nanoTime() - failedOver).toMillis()
				+ " ms after the failover completed");
		this.pubSub.publish(other, bytes("still")).block(Await.TIMEOUT);
		Await.until(() -> this.received.contains(other + "=still"));
		assertThat(this.failures).isEmpty();
	}

	@Test
	void publishesThroughTheClusterConnectionWhenASlotMovedUnseen() {
		// A client that never refreshes its topology on its own: its view of the
		// channel's slot stays the one from before the move.
		RedisClusterClient unrefreshed = RedisClusterClient
			.create(this.cluster.nodes().stream().map((node) -> RedisURI.create("redis://" + node.address())).toList());
		ShardedPubSub stale = new ShardedPubSub(unrefreshed);
		try {
			List<String> channels = channelsOnTwoMasters();
			String moved = channels.get(0);
			// Opens the connections, to every master, on a channel that stays put.
			stale.subscribe(List.of(channels.get(1)), (channel, message) -> {
			}, this.failures::add).block(Await.TIMEOUT);
			Node source = this.cluster.masterOf(moved);
			Node target = this.cluster.masterOf(channels.get(1));
			moveSlot(this.cluster.slotOf(moved), source, target);
			source.resetStats();
			target.resetStats();
			assertThat(stale.publish(moved, bytes("after the move")).block(Await.TIMEOUT)).isZero();
			assertThat(rejectedCalls(source, "spublish")).as("publishes the old master refused").isPositive();
			assertThat(target.commandCalls("spublish")).as("publishes the new master ran").isEqualTo(1);
			assertThat(this.failures).isEmpty();
		}
		finally {
			stale.close();
			unrefreshed.shutdown();
		}
	}

	// Moves an empty slot from one master to another, as a resharding does.
	private void moveSlot(int slot, Node source, Node target) {
		String targetId = target.command("CLUSTER", "MYID");
		assertThat(target.command("CLUSTER", "SETSLOT", String.valueOf(slot), "IMPORTING",
				source.command("CLUSTER", "MYID")))
			.isEqualTo("OK");
		assertThat(source.command("CLUSTER", "SETSLOT", String.valueOf(slot), "MIGRATING", targetId)).isEqualTo("OK");
		for (Node master : List.of(target, source)) {
			assertThat(master.command("CLUSTER", "SETSLOT", String.valueOf(slot), "NODE", targetId)).isEqualTo("OK");
		}
		for (Node master : this.cluster.masters()) {
			if (master != source && master != target) {
				master.command("CLUSTER", "SETSLOT", String.valueOf(slot), "NODE", targetId);
			}
		}
		this.cluster.awaitReady();
	}

	// How many calls of a command a node refused, a redirection for one.
	private static long rejectedCalls(Node node, String command) {
		for (String line : node.command("INFO", "commandstats").split("\r?\n")) {
			if (line.startsWith("cmdstat_" + command + ":")) {
				for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
					if (field.startsWith("rejected_calls=")) {
						return Long.parseLong(field.substring("rejected_calls=".length()).trim());
					}
				}
			}
		}
		return 0;
	}

	private void subscribe(List<String> channels) {
		this.pubSub
			.subscribe(channels,
					(channel, message) -> this.received
						.add(channel + "=" + new String(message, StandardCharsets.UTF_8)),
					this.failures::add)
			.block(Await.TIMEOUT);
	}

	// Two channels whose slots two different masters serve.
	private List<String> channelsOnTwoMasters() {
		List<String> names = IntStream.range(0, 100).mapToObj((i) -> "channel-" + i).toList();
		String first = names.get(0);
		Node firstOwner = this.cluster.masterOf(first);
		String second = names.stream()
			.filter((name) -> this.cluster.masterOf(name) != firstOwner)
			.findFirst()
			.orElseThrow();
		return List.of(first, second);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
