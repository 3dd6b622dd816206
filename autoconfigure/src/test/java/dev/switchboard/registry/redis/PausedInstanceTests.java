package dev.switchboard.registry.redis;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;

import dev.switchboard.UserOfflineEvent;
import dev.switchboard.UserOnlineEvent;
import dev.switchboard.fixtures.EventLog;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance that is alive but whose lease ran out, as after a long pause or a network
 * partition, is purged by the others like a dead one; it then registers its connections
 * again, and its users come back online.
 */
class PausedInstanceTests {

	/**
	 * Moves an instance from {@code instances} to {@code purging}, claimed for ARGV[2]
	 * milliseconds of Redis's clock, as the reap script does.
	 */
	static final String CLAIM = "local t = redis.call('TIME') " + "if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then "
			+ "redis.call('ZADD', KEYS[2], t[1] * 1000 + math.floor(t[2] / 1000) + tonumber(ARGV[2]), ARGV[1]) "
			+ "return 1 end return 0";

	@Test
	void registersItsConnectionsAgainAfterTheOthersPurgedIt() {
		TestRedis redis = TestRedis.shared();
		try (Instance survivor = Instance.start(redis, "paused", "survivor");
				Instance paused = Instance.start(redis, "paused", "paused");
				WsClient wes = paused.connect("/ws/chat?user=wes&room=nap")) {
			wes.nextJson();
			redis.command("ZADD", "{paused}:instances", "0", "paused");
			survivor.bean(EventLog.class).await(UserOfflineEvent.class, (event) -> event.user().equals("wes"), 1);
			paused.bean(EventLog.class).await(UserOnlineEvent.class, (event) -> event.user().equals("wes"), 2);
			assertThat(survivor.switchboard().isOnline("wes").block()).isTrue();
			assertThat(survivor.switchboard().toRoom("nap").send("welcome back").block().instances()).isEqualTo(1);
			assertThat(wes.nextText()).isEqualTo("welcome back");
		}
	}

	@Test
	void reportsItsLeaseNotHeldAndIsDownWhileAnotherInstanceHoldsAClaimToPurgeIt() {
		TestRedis redis = TestRedis.shared();
		try (Instance claimed = Instance.start(redis, "claimed", "claimed")) {
			assertThat(health(claimed).getStatus()).isEqualTo(Status.UP);
			// What the reap script does for a survivor that then purges nothing: a claim
			// that runs for two seconds.
			redis.command("EVAL", CLAIM, "2", "{claimed}:instances", "{claimed}:purging", "claimed", "2000");
			Await.until(() -> !claimed.lease().state().leaseHeld());
			Health health = health(claimed);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("leaseHeld", false).containsEntry("redis", "up");
			// Once the claim ran out, the instance takes its lease back.
			Await.until(() -> health(claimed).getStatus() == Status.UP);
			assertThat(health(claimed).getDetails()).containsEntry("leaseHeld", true);
		}
	}

	@Test
	void isNotFoundBySendsFromOtherInstancesBetweenItsPurgeAndItsNewRegistration() {
		TestRedis redis = TestRedis.shared();
		// A heartbeat every 5 seconds, against every second for the survivor: the purge
		// comes long before the paused instance finds out, even on a loaded machine.
		try (Instance survivor = Instance.start(redis, "between", "survivor");
				Instance paused = Instance.start(redis, "between", "paused", "switchboard.redis.instance-timeout=15s");
				WsClient wes = paused.connect("/ws/chat?user=wes")) {
			wes.nextJson();
			String renewed = redis.command("ZSCORE", "{between}:instances", "paused");
			Await.until(() -> !renewed.equals(redis.command("ZSCORE", "{between}:instances", "paused")));
			redis.command("ZADD", "{between}:instances", "0", "paused");
			survivor.bean(EventLog.class).await(UserOfflineEvent.class, (event) -> event.user().equals("wes"), 1);
			assertThat(survivor.switchboard().toUser("wes").send("lost").block(WsClient.TIMEOUT).notConnected())
				.isTrue();
			assertThat(survivor.switchboard().isOnline("wes").block(WsClient.TIMEOUT)).isFalse();
			assertThat(paused.bean(EventLog.class).events(UserOnlineEvent.class, (event) -> event.user().equals("wes")))
				.as("registered again only after the send")
				.hasSize(1);
			paused.bean(EventLog.class).await(UserOnlineEvent.class, (event) -> event.user().equals("wes"), 2);
			assertThat(survivor.switchboard().toUser("wes").send("found").block(WsClient.TIMEOUT).instances())
				.isEqualTo(1);
			assertThat(wes.nextText()).isEqualTo("found");
		}
	}

	private static Health health(Instance instance) {
		return instance.bean("switchboardRegistryHealthIndicator", ReactiveHealthIndicator.class)
			.health()
			.block(WsClient.TIMEOUT);
	}

}
