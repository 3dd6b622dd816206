package dev.switchboard.registry.redis;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.switchboard.DeliveryException;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Recovery with the history in Redis: a client that reconnects, to any instance, gets
 * every message that was sent successfully, once and in order; across an instance's
 * restart and a Redis restart that kept the data; and the "cannot recover" answer when
 * Redis lost it.
 */
class RecoveryAcrossInstancesTests {

	static final String[] HISTORY = { "switchboard.history.streams[0].pattern=room:*",
			"switchboard.history.streams[0].size=1000", "switchboard.history.streams[0].age=10m" };

	@Test
	void sendsWhatAClientMissedWhileItsInstanceRestarted() {
		try (TestRedis redis = TestRedis.startNew(); Instance b = Instance.start(redis, redis, "b", HISTORY)) {
			JsonNode last;
			Instance a = Instance.start(redis, redis, "a", HISTORY);
			try (WsClient client = a.connect("/ws/feed?room=news")) {
				StreamRecoveryTests.assertRecovered(client.nextJson(), true);
				b.switchboard().toRoom("news").send("1").block();
				last = StreamRecoveryTests.assertItem(client.nextJson(), "1");
				a.close();
				assertThat(client.awaitClose().getCode()).isEqualTo(1001);
			}
			b.switchboard().toRoom("news").send("2").block();
			try (Instance again = Instance.start(redis, redis, "a", HISTORY);
					WsClient client = again.connect(StreamRecoveryTests.recovering("/ws/feed?room=news", last))) {
				StreamRecoveryTests.assertItem(client.nextJson(), "2");
				StreamRecoveryTests.assertRecovered(client.nextJson(), true);
			}
		}
	}

	@Test
	void reportsSendsThatFailedWhileRedisRestartedAndRecoversTheRestWhenItKeptItsData() {
		try (TestRedis redis = TestRedis.startNew();
				Instance a = Instance.start(redis, redis, "a", HISTORY);
				Instance b = Instance.start(redis, redis, "b", HISTORY)) {
			JsonNode last = firstOfTheNews(a, b);
			Await.until(() -> !a.switchboard().membersOf("news").hasElements().block());
			b.switchboard().toRoom("news").send("2").block();
			// Persistence: the restarted server loads what it saved.
			redis.command("SAVE");
			redis.stop();
			assertThatExceptionOfType(DeliveryException.class)
				.isThrownBy(() -> b.switchboard().toRoom("news").send("lost").block());
			redis.start();
			Await.until(() -> a.lease().state().redis().equals("up") && b.lease().state().redis().equals("up"));
			b.switchboard().toRoom("news").send("3").block();
			try (WsClient client = a.connect(StreamRecoveryTests.recovering("/ws/feed?room=news", last))) {
				StreamRecoveryTests.assertItem(client.nextJson(), "2");
				StreamRecoveryTests.assertItem(client.nextJson(), "3");
				StreamRecoveryTests.assertRecovered(client.nextJson(), true);
			}
		}
	}

	@Test
	void saysThatItCannotRecoverWhenRedisLostItsData() {
		try (TestRedis redis = TestRedis.startNew();
				Instance a = Instance.start(redis, redis, "a", HISTORY);
				Instance b = Instance.start(redis, redis, "b", HISTORY)) {
			JsonNode last = firstOfTheNews(a, b);
			redis.stop();
			redis.start();
			// Sends fail until the instances have registered their connections again.
			Await.until(() -> sent(b, "2"));
			try (WsClient client = a.connect(StreamRecoveryTests.recovering("/ws/feed?room=news", last))) {
				JsonNode recovered = StreamRecoveryTests.assertRecovered(client.nextJson(), false);
				assertThat(recovered.get("epoch").asString()).isNotEqualTo(last.get("epoch").asString());
				assertThat(recovered.get("offset").asLong()).isEqualTo(1);
			}
		}
	}

	// A client on a gets the first message b sends to the room news, then leaves; its
	// position.
	private static JsonNode firstOfTheNews(Instance a, Instance b) {
		try (WsClient client = a.connect("/ws/feed?room=news")) {
			StreamRecoveryTests.assertRecovered(client.nextJson(), true);
			b.switchboard().toRoom("news").send("1").block();
			return StreamRecoveryTests.assertItem(client.nextJson(), "1");
		}
	}

	private static boolean sent(Instance instance, String message) {
		try {
			instance.switchboard().toRoom("news").send(message).block();
			return true;
		}
		catch (DeliveryException ex) {
			return false;
		}
	}

}
