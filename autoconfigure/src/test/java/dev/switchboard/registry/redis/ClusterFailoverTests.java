package dev.switchboard.registry.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import dev.switchboard.DeliveryException;
import dev.switchboard.SendResult;
import dev.switchboard.registry.redis.SentinelFailoverTests.Flow;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedisCluster;
import dev.switchboard.test.TestRedisCluster.Node;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instances on a Redis Cluster follow a {@code CLUSTER FAILOVER} of the shard that owns
 * an instance's channel, and of a shard that holds its clients' user keys, while their
 * clients exchange messages across instances: delivery resumes within {@link #BOUND},
 * sends in the window either fail with a {@link DeliveryException} or are reported
 * published (delivery is at most once), no message arrives twice, those reported
 * published arrive in order, and afterwards presence, new connections and rooms work on
 * both instances.
 */
@TestInstance(Lifecycle.PER_CLASS)
class ClusterFailoverTests {

	// Two heartbeats (instance-timeout 3s) and three topology refreshes (every second).
	private static final Duration SETTLED = Duration.ofSeconds(3);

	/**
	 * The failover itself (the replica catches up, then takes the slots over), Lettuce's
	 * refresh of the topology (on the redirections, and every second), the instances'
	 * reconnect interval and a heartbeat, with slack for a loaded 2-core machine.
	 */
	private static final Duration BOUND = Duration.ofSeconds(15);

	private static final String[] SETTINGS = { "switchboard.redis.reconnect-interval=1s",
			// A send takes two round trips on the spread layout, on a machine that runs
			// the cluster and the instances.
			"switchboard.redis.command-timeout=900ms" };

	private TestRedisCluster cluster;

	@BeforeAll
	void startCluster() {
		this.cluster = TestRedisCluster.start();
	}

	@AfterAll
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void followsAFailoverOfTheShardThatOwnsAnInstancesChannel() {
		Duration recovered = exchangeThrough("channel", "una", (keys) -> keys.instanceChannel("b"));
		System.out.println("Delivery resumed " + recovered.toMillis()
				+ " ms after CLUSTER FAILOVER of the shard of instance b's channel");
	}

	@Test
	void followsAFailoverOfAShardThatHoldsTheClientsUserKeys() {
		// A recipient whose key lives on the master that owns neither instance's
		// channel: only the reads of the user keys go through the failover.
		RedisKeys keys = new RedisKeys("users", RedisKeys.Layout.SPREAD);
		List<Node> channelOwners = List.of(this.cluster.masterOf(keys.instanceChannel("a")),
				this.cluster.masterOf(keys.instanceChannel("b")));
		String recipient = IntStream.range(0, 1000)
			.mapToObj((n) -> "una" + n)
			.filter((user) -> !channelOwners.contains(this.cluster.masterOf(keys.userConnections(user))))
			.findFirst()
			.orElseThrow();
		Duration recovered = exchangeThrough("users", recipient, (named) -> named.userConnections(recipient));
		System.out.println("Delivery resumed " + recovered.toMillis() + " ms after CLUSTER FAILOVER of the shard of "
				+ recipient + "'s key");
	}

	private Duration exchangeThrough(String prefix, String recipient, Function<RedisKeys, String> failedOver) {
		RedisKeys keys = new RedisKeys(prefix, RedisKeys.Layout.SPREAD);
		Map<String, String> redis = this.cluster.springProperties();
		try (Instance a = Instance.start(redis, prefix, "a", SETTINGS);
				Instance b = Instance.start(redis, prefix, "b", SETTINGS);
				WsClient ola = a.connect("/ws/chat?user=ola");
				WsClient una = b.connect("/ws/chat?user=" + recipient);
				WsClient bothOnA = a.connect("/ws/chat?user=two");
				WsClient bothOnB = b.connect("/ws/chat?user=two")) {
			List.of(ola, una, bothOnA, bothOnB).forEach(WsClient::nextJson);
			Flow toUna = new Flow(a, recipient, una, "a>b:");
			Flow toOla = new Flow(b, "ola", ola, "b>a:");
			Await.until(() -> toUna.exchange().equals("received") && toOla.exchange().equals("received"));
			Node master = this.cluster.masterOf(failedOver.apply(keys));
			Node replica = this.cluster.replicasOf(master).get(0);
			System.out.println("Failing over " + master + " to " + replica + "; instance b's channel on "
					+ this.cluster.masterOf(keys.instanceChannel("b")) + ", a's on "
					+ this.cluster.masterOf(keys.instanceChannel("a")) + ", " + recipient + "'s key on "
					+ this.cluster.masterOf(keys.userConnections(recipient)) + ", ola's on "
					+ this.cluster.masterOf(keys.userConnections("ola")));
			long start = System.nanoTime();
			CompletableFuture<Node> promoted = CompletableFuture.supplyAsync(() -> this.cluster.failover(replica));
			Duration recovered = null;
			while (recovered == null) {
				boolean moved = promoted.isDone();
				String there = toUna.exchange();
				String back = toOla.exchange();
				Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
				if (moved && there.equals("received") && back.equals("received")) {
					recovered = elapsed;
				}
				assertThat(elapsed).as("delivery resumed after the failover; %s%s", toUna, toOla)
					.isLessThan(BOUND.plus(Duration.ofSeconds(10)));
			}
			Duration failedOverAfter = Duration.ofNanos(System.nanoTime() - start);
			assertThat(promoted.join().isMaster()).isTrue();
			System.out.println("Across the failover (cluster ready within " + failedOverAfter.toMillis() + " ms), "
					+ toUna + "; " + toOla);
			assertThat(recovered).isLessThan(BOUND);
			// Past the next topology refreshes and heartbeats too, when a subscription
			// left on the demoted master would deliver every message a second time.
			long until = System.nanoTime() + SETTLED.toNanos();
			while (System.nanoTime() - until < 0) {
				assertThat(toUna.exchange()).as("after delivery resumed; %s", toUna).isEqualTo("received");
				assertThat(toOla.exchange()).as("after delivery resumed; %s", toOla).isEqualTo("received");
			}
			toUna.assertAtMostOnceInOrder();
			toOla.assertAtMostOnceInOrder();
			toUna.assertReceivedWhatWasReportedPublished(0);
			toOla.assertReceivedWhatWasReportedPublished(0);
			for (Instance instance : List.of(a, b)) {
				for (String user : List.of("ola", recipient, "two")) {
					assertThat(instance.switchboard().isOnline(user).block(WsClient.TIMEOUT))
						.as("%s online, asked of %s", user, instance.id())
						.isTrue();
				}
			}
			try (WsClient late = a.connect("/ws/chat?user=late")) {
				String lateId = late.nextJson().get("connectionId").asString();
				Await.until(() -> Boolean.TRUE.equals(b.switchboard().isOnline("late").block(WsClient.TIMEOUT)));
				String unaId = b.switchboard()
					.connectionsOf(recipient)
					.collectList()
					.block(WsClient.TIMEOUT)
					.get(0)
					.id();
				a.switchboard().join(lateId, "after").block(WsClient.TIMEOUT);
				b.switchboard().join(unaId, "after").block(WsClient.TIMEOUT);
				assertThat(a.switchboard().toRoom("after").send("room").block(WsClient.TIMEOUT))
					.isEqualTo(new SendResult(1, 1));
				assertThat(late.nextText()).isEqualTo("room");
				assertThat(una.nextText()).isEqualTo("room");
			}
			return recovered;
		}
	}

}
