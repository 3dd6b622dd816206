package dev.switchboard.registry.redis;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.switchboard.ConnectionInfo;
import dev.switchboard.UserOfflineEvent;
import dev.switchboard.fixtures.ClusterTestApplication;
import dev.switchboard.fixtures.EventLog;
import dev.switchboard.test.AppInstance;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance in a JVM of its own dies without a goodbye (SIGKILL): the survivor purges
 * its connections and room memberships within the instance timeout and announces its
 * users offline, leaving no ghost behind.
 */
class InstanceCrashTests {

	private static final Duration INSTANCE_TIMEOUT = Duration.ofSeconds(3);

	/**
	 * What the bound in docs/multi-instance.md leaves out: the survivor's heartbeat and
	 * reap round trips, the purge of one connection, the event's delivery, and timers and
	 * threads running late on a loaded machine. A few milliseconds on an idle one.
	 */
	private static final Duration SCHEDULING_ALLOWANCE = Duration.ofMillis(500);

	@Test
	void purgesTheConnectionsOfAKilledInstanceWithinTheTimeout() {
		TestRedis redis = TestRedis.shared();
		try (Instance survivor = Instance.start(redis, "crash", "survivor");
				AppInstance doomed = AppInstance.start(ClusterTestApplication.class,
						Instance.properties(redis, "crash", "doomed"))) {
			WsClient ghost = WsClient.connect(doomed.wsUri("/ws/chat?user=ghost&room=crypt"));
			String id = ghost.nextJson().get("connectionId").asString();
			assertThat(survivor.switchboard().isOnline("ghost").block()).isTrue();
			assertThat(survivor.switchboard().membersOf("crypt").map(ConnectionInfo::id).collectList().block())
				.containsExactly(id);
			// Killed just after a renewal, its lease runs as long as it can: two
			// thirds of the instance timeout. The survivor's next look at the leases
			// comes at most a third later.
			String deadline = Topology.command("ZSCORE", Topology.keys("crash").instances(), "doomed");
			Await.until(
					() -> !Topology.command("ZSCORE", Topology.keys("crash").instances(), "doomed").equals(deadline));
			long killed = System.nanoTime();
			doomed.kill();
			UserOfflineEvent offline = survivor.bean(EventLog.class)
				.await(UserOfflineEvent.class, (event) -> event.user().equals("ghost"), 1)
				.get(0);
			Duration purgedAfter = Duration.ofNanos(System.nanoTime() - killed);
			System.out.println("Purged the killed instance's connections " + purgedAfter.toMillis()
					+ " ms after SIGKILL (instance timeout " + INSTANCE_TIMEOUT.toMillis() + " ms)");
			assertThat(offline.connectionId()).isEqualTo(id);
			assertThat(purgedAfter).isLessThanOrEqualTo(INSTANCE_TIMEOUT.plus(SCHEDULING_ALLOWANCE));
			assertThat(survivor.switchboard().isOnline("ghost").block()).isFalse();
			assertThat(survivor.switchboard().connectionsOf("ghost").collectList().block()).isEmpty();
			assertThat(survivor.switchboard().membersOf("crypt").collectList().block()).isEmpty();
			assertThat(survivor.switchboard().toUser("ghost").send("anyone?").block().notConnected()).isTrue();
			assertThat(Topology.command("EXISTS", Topology.keys("crash").instanceIndex("doomed"))).isEqualTo("0");
			assertThat(Topology.command("ZSCORE", Topology.keys("crash").instances(), "doomed")).isEqualTo("(nil)");
			assertThat(Topology.command("ZSCORE", Topology.keys("crash").purging(), "doomed")).isEqualTo("(nil)");
			assertThat(survivor.bean(EventLog.class)
				.events(UserOfflineEvent.class, (event) -> event.user().equals("ghost"))).hasSize(1);
		}
	}

}
