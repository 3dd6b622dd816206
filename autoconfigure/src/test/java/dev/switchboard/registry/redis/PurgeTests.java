package dev.switchboard.registry.redis;

import java.util.ArrayList;
import java.util.List;

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
 * A survivor purges all the connections of a killed instance in batches of
 * {@code purge-batch-size}, and a user connected elsewhere too stays online.
 */
class PurgeTests {

	@Test
	void purgesEveryBatchAndKeepsOnlineAUserConnectedElsewhere() {
		TestRedis redis = TestRedis.shared();
		List<WsClient> clients = new ArrayList<>();
		try (Instance survivor = Instance.start(redis, "batches", "survivor", "switchboard.redis.purge-batch-size=2");
				AppInstance doomed = AppInstance.start(ClusterTestApplication.class,
						Instance.properties(redis, "batches", "doomed"))) {
			// On a loaded machine its first commands may time out: it joins once it holds
			// a
			// lease.
			Await.until(
					() -> !"(nil)".equals(Topology.command("ZSCORE", Topology.keys("batches").instances(), "doomed")));
			for (int i = 0; i < 5; i++) {
				clients.add(WsClient.connect(doomed.wsUri("/ws/chat?user=batch" + i + "&room=cellar")));
			}
			clients.add(WsClient.connect(doomed.wsUri("/ws/chat?user=mover&room=cellar")));
			clients.forEach(WsClient::nextJson);
			try (WsClient moved = survivor.connect("/ws/chat?user=mover")) {
				moved.nextJson();
				doomed.kill();
				EventLog events = survivor.bean(EventLog.class);
				for (int i = 0; i < 5; i++) {
					String user = "batch" + i;
					events.await(UserOfflineEvent.class, (event) -> event.user().equals(user), 1);
				}
				Await.until(
						() -> "0".equals(Topology.command("EXISTS", Topology.keys("batches").instanceIndex("doomed"))));
				assertThat(survivor.switchboard().membersOf("cellar").collectList().block()).isEmpty();
				assertThat(Topology.command("HLEN", Topology.keys("batches").userConnections("mover"))).isEqualTo("1");
				assertThat(survivor.switchboard().isOnline("mover").block()).isTrue();
				assertThat(events.events(UserOfflineEvent.class, (event) -> event.user().equals("mover"))).isEmpty();
			}
		}
		finally {
			clients.forEach(WsClient::close);
		}
	}

}
