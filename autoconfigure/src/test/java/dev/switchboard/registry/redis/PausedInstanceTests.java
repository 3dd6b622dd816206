package dev.switchboard.registry.redis;

import org.junit.jupiter.api.Test;

import dev.switchboard.UserOfflineEvent;
import dev.switchboard.UserOnlineEvent;
import dev.switchboard.fixtures.EventLog;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance that is alive but whose lease ran out, as after a long pause or a network
 * partition, is purged by the others like a dead one; it then registers its connections
 * again, and its users come back online.
 */
class PausedInstanceTests {

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

}
