package dev.switchboard.registry.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A socket's broadcasts with history in Redis, on the shared server, which the cluster
 * suite makes a Redis Cluster (where one script run on the shard of the shared channel
 * keeps and publishes each): a client that reconnects to another instance gets the
 * broadcasts it missed, once and in order, before live ones.
 */
class BroadcastRecoveryTests {

	private static Instance a;

	private static Instance b;

	@BeforeAll
	static void start() {
		String[] history = { "switchboard.history.streams[0].pattern=socket:feed" };
		a = Instance.start(TestRedis.shared(), "broadcasts", "a", history);
		b = Instance.start(TestRedis.shared(), "broadcasts", "b", history);
	}

	@AfterAll
	static void stop() {
		Instance.closeAll(a, b);
	}

	@Test
	void sendsTheBroadcastsAClientMissedWhenItReconnectsToAnotherInstance() {
		JsonNode last;
		try (WsClient client = a.connect("/ws/feed")) {
			StreamRecoveryTests.assertRecovered(client.nextJson(), true);
			b.switchboard().broadcast("feed", "1").block(WsClient.TIMEOUT);
			last = StreamRecoveryTests.assertItem(client.nextJson(), "1");
			assertThat(last.get("stream").asString()).isEqualTo("socket:feed");
		}
		b.switchboard().broadcast("feed", "2").block(WsClient.TIMEOUT);
		a.switchboard().broadcast("feed", "3").block(WsClient.TIMEOUT);
		try (WsClient client = b.connect(StreamRecoveryTests.recovering("/ws/feed?from=a", last))) {
			assertThat(StreamRecoveryTests.assertItem(client.nextJson(), "2").get("offset").asLong())
				.isEqualTo(last.get("offset").asLong() + 1);
			StreamRecoveryTests.assertItem(client.nextJson(), "3");
			StreamRecoveryTests.assertRecovered(client.nextJson(), true);
			a.switchboard().broadcast("feed", "4").block(WsClient.TIMEOUT);
			StreamRecoveryTests.assertItem(client.nextJson(), "4");
		}
	}

}
