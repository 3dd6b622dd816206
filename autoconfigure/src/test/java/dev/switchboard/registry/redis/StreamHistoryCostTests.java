package dev.switchboard.registry.redis;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.SendResult;
import dev.switchboard.registry.StreamHistory;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.TestRedisCluster.Node;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a send to a room with history costs, counted with {@code INFO commandstats} on the
 * shared server, which the cluster suite makes a Redis Cluster (spread layout, sharded
 * pub/sub): one script run, on the shard of the room's keys, whose hash tag the history
 * shares, looks the recipients up and keeps the message; the publish follows. No other
 * script runs: the instances' leases are long, so no heartbeat falls in between.
 */
class StreamHistoryCostTests {

	private static final String PREFIX = "historycost";

	private static Instance a;

	private static Instance b;

	@BeforeAll
	static void start() {
		String[] properties = { "switchboard.redis.instance-timeout=600s",
				"switchboard.history.streams[0].pattern=room:*", "switchboard.history.streams[1].pattern=socket:chat" };
		a = Instance.start(TestRedis.shared(), PREFIX, "a", properties);
		b = Instance.start(TestRedis.shared(), PREFIX, "b", properties);
	}

	@AfterAll
	static void stop() {
		Instance.closeAll(a, b);
	}

	@Test
	void keepsARoomsMessageInTheScriptRunThatLooksItsRecipientsUpOnTheShardOfTheRoom() {
		RedisKeys keys = Topology.keys(PREFIX);
		String room = "costly";
		assertThat(SlotHash.getSlot(keys.history("room:" + room)))
			.isEqualTo(SlotHash.getSlot(keys.historyPosition("room:" + room)))
			.isEqualTo(SlotHash.getSlot(keys.roomInstances(room)));
		try (WsClient member = b.connect("/ws/feed?room=" + room)) {
			StreamRecoveryTests.assertRecovered(member.nextJson(), true);
			// Loads the scripts, which a first run may send whole.
			a.switchboard().toRoom(room).send("first").block(WsClient.TIMEOUT);
			StreamRecoveryTests.assertItem(member.nextJson(), "first");
			nodes().forEach(Counted::resetStats);
			assertThat(a.switchboard().toRoom(room).send("kept").block(WsClient.TIMEOUT))
				.isEqualTo(new SendResult(0, 1));
			assertThat(StreamRecoveryTests.assertItem(member.nextJson(), "kept").get("offset").asLong()).isEqualTo(2);
			Counted roomShard = nodeOf(keys.roomInstances(room));
			for (Counted node : nodes()) {
				int expected = node.equals(roomShard) ? 1 : 0;
				assertThat(node.calls("evalsha") + node.calls("eval")).as("script runs on %s", node)
					.isEqualTo(expected);
				assertThat(node.calls("zrange")).as("lookups on %s", node).isEqualTo(expected);
				assertThat(node.calls("xadd")).as("messages kept on %s", node).isEqualTo(expected);
				assertThat(node.calls("xrange") + node.calls("xrevrange")).as("reads on %s", node).isZero();
			}
			assertThat(nodes().stream().mapToLong((node) -> node.calls("publish") + node.calls("spublish")).sum())
				.as("publishes")
				.isEqualTo(1);
		}
	}

	@Test
	void keepsAndPublishesABroadcastInOneScriptRunOnTheShardOfTheSharedChannel() {
		RedisKeys keys = Topology.keys(PREFIX);
		// In the spread layout, the slot of the shared channel; in the single-slot
		// layout,
		// that of every key.
		String slotOf = Topology.isSpread() ? keys.busChannel() : keys.epoch();
		assertThat(SlotHash.getSlot(keys.history("socket:chat")))
			.isEqualTo(SlotHash.getSlot(keys.historyPosition("socket:chat")))
			.isEqualTo(SlotHash.getSlot(slotOf));
		try (WsClient listener = b.connect("/ws/chat")) {
			listener.nextJson();
			// Loads the script, which a first run may send whole.
			a.switchboard().broadcast("chat", "first").block(WsClient.TIMEOUT);
			assertThat(listener.nextText()).isEqualTo("first");
			nodes().forEach(Counted::resetStats);
			assertThat(a.switchboard().broadcast("chat", "kept").block(WsClient.TIMEOUT).instances()).isEqualTo(1);
			assertThat(listener.nextText()).isEqualTo("kept");
			Counted busShard = nodeOf(keys.busChannel());
			for (Counted node : nodes()) {
				int expected = node.equals(busShard) ? 1 : 0;
				assertThat(node.calls("evalsha") + node.calls("eval")).as("script runs on %s", node)
					.isEqualTo(expected);
				assertThat(node.calls("xadd")).as("messages kept on %s", node).isEqualTo(expected);
				assertThat(node.calls("publish") + node.calls("spublish")).as("publishes on %s", node)
					.isEqualTo(expected);
			}
		}
		assertThat(a.bean(StreamHistory.class)
			.read("socket:chat", null, new StreamHistory.Limits(100, Duration.ofMinutes(5)))
			.block(WsClient.TIMEOUT)
			.top()
			.offset()).isEqualTo(2);
	}

	// The shared server's nodes that serve commands: one, or the Cluster's masters (a
	// replica counts what it replicates too).
	private static List<Counted> nodes() {
		if (!Topology.isCluster()) {
			return List.of(new Counted(null));
		}
		return Topology.cluster().masters().stream().map(Counted::new).toList();
	}

	private static Counted nodeOf(String key) {
		return new Counted(Topology.isCluster() ? Topology.cluster().masterOf(key) : null);
	}

	/**
	 * A node's command counts: a Cluster's node, or the shared standalone server.
	 *
	 * @param node the Cluster's node, {@code null} for the standalone server
	 */
	private record Counted(Node node) {

		long calls(String command) {
			return (this.node != null) ? this.node.commandCalls(command) : TestRedis.shared().commandCalls(command);
		}

		void resetStats() {
			if (this.node != null) {
				this.node.resetStats();
			}
			else {
				TestRedis.shared().resetStats();
			}
		}

		@Override
		public String toString() {
			return (this.node != null) ? this.node.toString() : "the Redis server";
		}

	}

}
