package dev.switchboard.registry.redis;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.switchboard.UserOfflineEvent;
import dev.switchboard.fixtures.ClusterTestApplication;
import dev.switchboard.fixtures.EventLog;
import dev.switchboard.test.AppInstance;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the survivor that claimed a dead instance dies before the end of the purge, its
 * claim runs out and another survivor takes the purge over.
 */
class PurgeTakeoverTests {

	/**
	 * Two thirds of the instances' {@code instance-timeout} of 3 seconds, as a survivor's
	 * claim lasts.
	 */
	private static final Duration CLAIM = Duration.ofSeconds(2);

	private static final Duration INSTANCE_TIMEOUT = Duration.ofSeconds(3);

	@Test
	void takesOverThePurgeOfADeadInstanceWhoseClaimantDiedWithinAnotherInstanceTimeout() {
		TestRedis redis = TestRedis.shared();
		try (Instance survivor = Instance.start(redis, "takeover", "survivor");
				AppInstance doomed = AppInstance.start(ClusterTestApplication.class,
						Instance.properties(redis, "takeover", "doomed"))) {
			// On a loaded machine its first commands may time out: it joins once it holds
			// a lease.
			Await.until(
					() -> !"(nil)".equals(Topology.command("ZSCORE", Topology.keys("takeover").instances(), "doomed")));
			try (WsClient zoe = WsClient.connect(doomed.wsUri("/ws/chat?user=zoe&room=attic"))) {
				zoe.nextJson();
				doomed.kill();
				// The claim of a survivor that dies at once, before it purges anything.
				assertThat(
						Topology.command("EVAL", PausedInstanceTests.CLAIM, "2", Topology.keys("takeover").instances(),
								Topology.keys("takeover").purging(), "doomed", String.valueOf(CLAIM.toMillis())))
					.isEqualTo("1");
				long claimed = System.nanoTime();
				survivor.bean(EventLog.class).await(UserOfflineEvent.class, (event) -> event.user().equals("zoe"), 1);
				Duration tookOver = Duration.ofNanos(System.nanoTime() - claimed);
				// Redis's clock times the claim from a few milliseconds before this
				// test's.
				assertThat(tookOver).as("once the claim ran out")
					.isGreaterThan(CLAIM.minusMillis(50))
					.as("within another instance timeout, and a second for a loaded machine")
					.isLessThan(INSTANCE_TIMEOUT.plusSeconds(1));
				Await.until(() -> "0"
					.equals(Topology.command("EXISTS", Topology.keys("takeover").instanceIndex("doomed"))));
				assertThat(Topology.command("ZCARD", Topology.keys("takeover").purging())).isEqualTo("0");
				assertThat(survivor.switchboard().membersOf("attic").collectList().block(WsClient.TIMEOUT)).isEmpty();
				assertThat(survivor.switchboard().isOnline("zoe").block(WsClient.TIMEOUT)).isFalse();
			}
		}
	}

}
