package dev.switchboard.registry.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import dev.switchboard.DeliveryException;
import dev.switchboard.SendResult;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedisSentinel;
import dev.switchboard.test.WsClient;
import dev.switchboard.test.WsClient.Frame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instances on Redis Sentinel follow a failover, asked for or after the master was
 * killed, while their clients exchange messages across instances: delivery resumes within
 * {@link #BOUND}, sends in the window either fail with a {@link DeliveryException} or are
 * reported published (delivery is at most once), no message arrives twice, those reported
 * published arrive in order, and afterwards presence, new connections and rooms work on
 * both instances. A failover asked for is followed until the Sentinels have demoted the
 * old master, which answers as a master until then: the instances must have left it for
 * the new master, or their writes there would be lost and sends reported to reach no
 * instance.
 */
@TestInstance(Lifecycle.PER_CLASS)
class SentinelFailoverTests {

	private static final Duration RECONNECT_INTERVAL = Duration.ofSeconds(1);

	private static final Duration HEARTBEAT = Duration.ofSeconds(3);

	/**
	 * Sentinel's detection and failover (down-after, then an election and a promotion
	 * that take a few seconds), then the instances' reconnect interval and a heartbeat,
	 * with slack for a loaded 2-core machine.
	 */
	private static final Duration BOUND = TestRedisSentinel.DOWN_AFTER.plus(Duration.ofSeconds(5))
		.plus(RECONNECT_INTERVAL)
		.plus(HEARTBEAT)
		.plus(Duration.ofSeconds(5));

	private static final String[] SETTINGS = {
			"switchboard.redis.reconnect-interval=" + RECONNECT_INTERVAL.toSeconds() + "s",
			"switchboard.redis.instance-timeout=" + HEARTBEAT.multipliedBy(3).toSeconds() + "s",
			"switchboard.redis.command-timeout=1s" };

	private TestRedisSentinel sentinel;

	@BeforeAll
	void startSentinel() {
		this.sentinel = TestRedisSentinel.start();
	}

	@BeforeEach
	void restoreReplica() {
		this.sentinel.restoreKilled();
	}

	@AfterAll
	void stopSentinel() {
		this.sentinel.close();
	}

	@Test
	void followsAFailoverAskedOfTheSentinels() {
		// The old master answers, as a master, until the Sentinels demote it about ten
		// seconds later: the exchange goes on until it has been demoted, so that the
		// instances are seen to have left it for the new master by then.
		Duration interrupted = exchangeThrough("asked", this.sentinel::failover,
				(oldMaster) -> this.sentinel.roleOf(oldMaster).equals("slave"));
		System.out.println("Delivery was interrupted for " + interrupted.toMillis() + " ms after SENTINEL FAILOVER");
	}

	@Test
	void followsAFailoverAfterTheMasterIsKilled() {
		Duration interrupted = exchangeThrough("killed", this.sentinel::killMaster, (oldMaster) -> true);
		System.out
			.println("Delivery was interrupted for " + interrupted.toMillis() + " ms after the master was killed");
	}

	/**
	 * Exchanges messages both ways through a failover, until the Sentinels name a new
	 * master, the old one is gone and messages go through again.
	 * @return the time from the failover to the last exchange that did not go through
	 */
	private Duration exchangeThrough(String prefix, IntSupplier failover, IntPredicate oldMasterGone) {
		Map<String, String> redis = this.sentinel.springProperties();
		try (Instance a = Instance.start(redis, prefix, "a", SETTINGS);
				Instance b = Instance.start(redis, prefix, "b", SETTINGS);
				WsClient ola = a.connect("/ws/chat?user=ola");
				WsClient una = b.connect("/ws/chat?user=una");
				WsClient bothOnA = a.connect("/ws/chat?user=two");
				WsClient bothOnB = b.connect("/ws/chat?user=two")) {
			List.of(ola, una, bothOnA, bothOnB).forEach(WsClient::nextJson);
			Flow toUna = new Flow(a, "una", una, "a>b:");
			Flow toOla = new Flow(b, "ola", ola, "b>a:");
			Await.until(() -> toUna.exchange().equals("received") && toOla.exchange().equals("received"));
			long start = System.nanoTime();
			int oldMaster = failover.getAsInt();
			Duration interrupted = Duration.ZERO;
			boolean through = false;
			while (!through) {
				boolean moved = masterMoved(oldMaster) && oldMasterGone.test(oldMaster);
				String there = toUna.exchange();
				String back = toOla.exchange();
				Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
				through = moved && there.equals("received") && back.equals("received");
				if (!there.equals("received") || !back.equals("received")) {
					interrupted = elapsed;
				}
				assertThat(elapsed).as("the failover went through; %s%s", toUna, toOla)
					.isLessThan(BOUND.plus(Duration.ofSeconds(10)));
			}
			System.out.println("Across the failover, " + toUna + "; " + toOla);
			assertThat(interrupted).isLessThan(BOUND);
			for (int i = 0; i < 10; i++) {
				assertThat(toUna.exchange()).isEqualTo("received");
				assertThat(toOla.exchange()).isEqualTo("received");
			}
			toUna.assertAtMostOnceInOrder();
			toOla.assertAtMostOnceInOrder();
			toUna.assertReceivedWhatWasReportedPublished(0);
			toOla.assertReceivedWhatWasReportedPublished(0);
			for (Instance instance : List.of(a, b)) {
				for (String user : List.of("ola", "una", "two")) {
					assertThat(instance.switchboard().isOnline(user).block(WsClient.TIMEOUT))
						.as("%s online, asked of %s", user, instance.id())
						.isTrue();
				}
			}
			try (WsClient late = a.connect("/ws/chat?user=late")) {
				String lateId = late.nextJson().get("connectionId").asString();
				Await.until(() -> Boolean.TRUE.equals(b.switchboard().isOnline("late").block(WsClient.TIMEOUT)));
				String unaId = b.switchboard().connectionsOf("una").collectList().block(WsClient.TIMEOUT).get(0).id();
				a.switchboard().join(lateId, "after").block(WsClient.TIMEOUT);
				b.switchboard().join(unaId, "after").block(WsClient.TIMEOUT);
				assertThat(a.switchboard().toRoom("after").send("room").block(WsClient.TIMEOUT))
					.isEqualTo(new SendResult(1, 1));
				assertThat(late.nextText()).isEqualTo("room");
				assertThat(una.nextText()).isEqualTo("room");
			}
			return interrupted;
		}
	}

	private boolean masterMoved(int oldMaster) {
		try {
			return this.sentinel.masterPort() != oldMaster;
		}
		catch (AssertionError ex) {
			// the Sentinels disagree while the failover goes on
			return false;
		}
	}

	/**
	 * Messages sent from one instance to a user connected on the other, numbered, with
	 * what each send reported and what the client received.
	 */
	static final class Flow {

		private static final Duration WAIT = Duration.ofSeconds(1);

		private final Instance sender;

		private final String user;

		private final WsClient client;

		private final String prefix;

		private final Map<Integer, String> reported = new LinkedHashMap<>();

		private final List<Integer> received = new ArrayList<>();

		// When each message was sent and received, in milliseconds since the flow began.
		private final Map<Integer, Long> sentAt = new LinkedHashMap<>();

		private final Map<Integer, Long> receivedAt = new LinkedHashMap<>();

		private final long start = System.nanoTime();

		private int sent;

		private int firstFailed;

		private int lastFailed;

		Flow(Instance sender, String user, WsClient client, String prefix) {
			this.sender = sender;
			this.user = user;
			this.client = client;
			this.prefix = prefix;
		}

		/**
		 * Sends the next message and, when the send reports it published to an instance,
		 * waits a while for it.
		 * @return {@code received}, {@code lost} (reported published, not received),
		 * {@code failed} ({@link DeliveryException}) or {@code instances=0}
		 */
		String exchange() {
			int n = ++this.sent;
			this.sentAt.put(n, elapsedMillis());
			SendResult result;
			try {
				result = this.sender.switchboard().toUser(this.user).send(this.prefix + n).block(WsClient.TIMEOUT);
			}
			catch (DeliveryException ex) {
				String cause = (ex.getCause() != null) ? ex.getCause().getClass().getSimpleName() : "none";
				this.reported.put(n, "failed(" + cause + ")");
				this.firstFailed = (this.firstFailed == 0) ? n : this.firstFailed;
				this.lastFailed = n;
				return "failed";
			}
			if (result.instances() != 1) {
				this.reported.put(n, "instances=" + result.instances());
				return "instances=" + result.instances();
			}
			this.reported.put(n, "published");
			long deadline = System.nanoTime() + WAIT.toNanos();
			while (System.nanoTime() < deadline) {
				Frame frame = this.client.poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
				if (frame != null && frame.text() && frame.asText().startsWith(this.prefix)) {
					int got = Integer.parseInt(frame.asText().substring(this.prefix.length()));
					this.received.add(got);
					this.receivedAt.put(got, elapsedMillis());
					if (got == n) {
						return "received";
					}
				}
			}
			return "lost";
		}

		/**
		 * What the delivery guarantee promises: each message at most once, the messages
		 * whose sends were reported published in the order sent, only messages that were
		 * sent, and every send either reported published to the instance or failed with a
		 * {@code DeliveryException}. A send that failed may still have been carried out,
		 * later: a publish that timed out is not taken back from a Redis that holds it (a
		 * Cluster's old master holds an {@code SPUBLISH} while it pauses writes for a
		 * manual failover), so its message may arrive after later ones.
		 */
		void assertAtMostOnceInOrder() {
			assertThat(this.received).as("received by %s", this.user).doesNotHaveDuplicates();
			List<Integer> published = this.received.stream()
				.filter((n) -> "published".equals(this.reported.get(n)))
				.toList();
			for (int i = 1; i < published.size(); i++) {
				int before = published.get(i - 1);
				int after = published.get(i);
				assertThat(after).as("%s received %s after %s: %s", this.user, after, before, around(after, before))
					.isGreaterThan(before);
			}
			assertThat(this.received).allMatch((n) -> n >= 1 && n <= this.sent);
			assertThat(this.reported.values()).as("what the sends to %s reported", this.user)
				.allMatch((outcome) -> outcome.equals("published") || outcome.startsWith("failed("));
		}

		/**
		 * Every send reported published was received by the end, late arrivals included,
		 * but for the given number of losses that no sender was told of.
		 * @param unreported how many such losses are allowed
		 */
		void assertReceivedWhatWasReportedPublished(int unreported) {
			assertThat(this.reported.entrySet()).as("sends to %s reported published but not received", this.user)
				.filteredOn((entry) -> entry.getValue().equals("published"))
				.filteredOn((entry) -> !this.received.contains(entry.getKey()))
				.hasSizeLessThanOrEqualTo(unreported);
		}

		private long elapsedMillis() {
			return (System.nanoTime() - this.start) / 1_000_000;
		}

		// What the sends of the messages from first to last reported, with when each was
		// sent and received.
		private String around(int first, int last) {
			StringBuilder text = new StringBuilder();
			for (int n = Math.max(1, first - 2); n <= Math.min(this.sent, last + 2); n++) {
				text.append("\n  ")
					.append(n)
					.append(": sent at ")
					.append(this.sentAt.get(n))
					.append(" ms, ")
					.append(this.reported.get(n))
					.append(", received at ")
					.append(this.receivedAt.containsKey(n) ? this.receivedAt.get(n) + " ms" : "never");
			}
			return text.toString();
		}

		@Override
		public String toString() {
			Map<String, Integer> counts = new LinkedHashMap<>();
			this.reported.values().forEach((outcome) -> counts.merge(outcome, 1, Integer::sum));
			TreeSet<Integer> got = new TreeSet<>(this.received);
			List<Integer> lost = this.reported.entrySet()
				.stream()
				.filter((entry) -> entry.getValue().equals("published") && !got.contains(entry.getKey()))
				.map(Map.Entry::getKey)
				.toList();
			return this.prefix + " sent " + this.sent + ", reported " + counts + ", received " + got.size()
					+ ", reported published but not received " + lost + " (failed sends numbered " + this.firstFailed
					+ " to " + this.lastFailed + ")";
		}

	}

}
