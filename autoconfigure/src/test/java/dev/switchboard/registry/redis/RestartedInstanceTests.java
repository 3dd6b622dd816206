package dev.switchboard.registry.redis;

import org.junit.jupiter.api.Test;

import dev.switchboard.UserOfflineEvent;
import dev.switchboard.fixtures.ClusterTestApplication;
import dev.switchboard.fixtures.EventLog;
import dev.switchboard.test.AppInstance;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance with a fixed id that crashes and comes back before its lease ran out
 * removes what its previous process left, instead of inheriting it as ghosts.
 */
class RestartedInstanceTests {

	@Test
	void removesWhatThePreviousProcessWithItsIdLeft() {
		TestRedis redis = TestRedis.shared();
		AppInstance previous = AppInstance.start(ClusterTestApplication.class,
				Instance.properties(redis, "restart", "phoenix"));
		String id;
		try (WsClient ash = WsClient.connect(previous.wsUri("/ws/chat?user=ash&room=ashes"))) {
			id = ash.nextJson().get("connectionId").asString();
			previous.kill();
		}
		try (Instance again = Instance.start(redis, "restart", "phoenix")) {
			assertThat(again.bean(EventLog.class)
				.await(UserOfflineEvent.class, (event) -> event.user().equals("ash"), 1)
				.get(0)
				.connectionId()).isEqualTo(id);
			assertThat(again.switchboard().isOnline("ash").block()).isFalse();
			assertThat(again.switchboard().membersOf("ashes").collectList().block()).isEmpty();
			assertThat(Topology.command("HLEN", Topology.keys("restart").instanceIndex("phoenix"))).isEqualTo("0");
		}
	}

}
