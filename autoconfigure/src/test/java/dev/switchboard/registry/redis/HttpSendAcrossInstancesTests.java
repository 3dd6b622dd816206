package dev.switchboard.registry.redis;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.test.Await;
import dev.switchboard.test.Http;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call to the HTTP send API of one instance reaches users and rooms on another, through
 * a real Redis, and its answer says what the instance that answered knows; while Redis is
 * unreachable, it answers 503 with what was done on that instance.
 */
class HttpSendAcrossInstancesTests {

	private static final String KEY = "x4Rt8Kp0Wm2Zq6Ld";

	private static Http.Response call(Instance instance, String body) {
		return Http.post(instance.port(), "/switchboard/api/send",
				Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json"), body);
	}

	@Test
	void aCallToOneInstanceReachesAUserConnectedToAnother() {
		try (TestRedis redis = TestRedis.startNew();
				Instance a = Instance.start(redis, "http-api", "a", "switchboard.http-api.enabled=true",
						"switchboard.http-api.key=" + KEY);
				Instance b = Instance.start(redis, "http-api", "b", "switchboard.http-api.enabled=true",
						"switchboard.http-api.key=" + KEY);
				WsClient ann = b.connect("/ws/chat?user=ann&room=porch");
				WsClient ben = a.connect("/ws/chat?user=ben&room=porch")) {
			ann.nextJson();
			ben.nextJson();
			Http.Response toAnn = call(a, "{\"to\":{\"user\":\"ann\"},\"payload\":{\"text\":\"from a\"}}");
			assertThat(toAnn.status()).isEqualTo(200);
			assertThat(toAnn.body()).isEqualTo("{\"reached\":0,\"instances\":1,\"dropped\":0,\"notConnected\":false}");
			assertThat(ann.nextText()).isEqualTo("{\"text\":\"from a\"}");
			Http.Response toPorch = call(a, "{\"to\":{\"room\":\"porch\"},\"payload\":\"both\"}");
			assertThat(toPorch.body())
				.isEqualTo("{\"reached\":1,\"instances\":1,\"dropped\":0,\"notConnected\":false}");
			assertThat(ann.nextText()).isEqualTo("both");
			assertThat(ben.nextText()).isEqualTo("both");
			redis.stop();
			Await.until(() -> !a.lease().state().reachable());
			Http.Response down = call(a, "{\"to\":{\"room\":\"porch\"},\"payload\":\"only here\"}");
			assertThat(down.status()).isEqualTo(503);
			assertThat(down.json().get("error").asString()).isNotEmpty();
			assertThat(down.json().get("partialResult").toString())
				.isEqualTo("{\"reached\":1,\"instances\":0,\"dropped\":0,\"notConnected\":false}");
			assertThat(ben.nextText()).isEqualTo("only here");
		}
	}

}
