package dev.switchboard.registry.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import dev.switchboard.fixtures.ClusterTestApplication;
import dev.switchboard.test.AppInstance;
import dev.switchboard.test.Await;
import dev.switchboard.test.Http;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code switchboard} Actuator endpoint of two instances on one Redis, over HTTP, as
 * docs/operations.md describes it: every figure read from Redis, without asking the other
 * instance; 503 while Redis is unreachable, and the same answers once it is back.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterEndpointTests {

	static final String EXPOSED = "management.endpoints.web.exposure.include=health,switchboard";

	@Test
	void showsTheSocketsInstancesRoomsAndUsersOfBothInstancesFromRedis() {
		TestRedis redis = TestRedis.shared();
		try (Instance a = Instance.start(redis, "endpoint", "a", EXPOSED);
				Instance b = Instance.start(redis, "endpoint", "b", EXPOSED);
				WsClient una = b.connect("/ws/chat?user=una&room=ops");
				WsClient vic = a.connect("/ws/chat?user=vic&room=ops");
				WsClient anonymous = b.connect("/ws/chat?room=lobby")) {
			una.nextJson();
			vic.nextJson();
			anonymous.nextJson();
			JsonNode overview = Http.get(a.port(), "/actuator/switchboard").json();
			assertThat(overview.get("registry").asString()).isEqualTo("redis");
			assertThat(overview.get("instance").asString()).isEqualTo("a");
			JsonNode chat = socket(overview, "chat");
			assertThat(chat.get("path").asString()).isEqualTo("/ws/chat");
			assertThat(chat.get("localConnections").asLong()).isEqualTo(1);
			assertThat(chat.get("clusterConnections").asLong()).isEqualTo(3);
			assertThat(socket(overview, "greeting").get("clusterConnections").asLong()).isZero();
			assertThat(overview.get("instances").valueStream().map((instance) -> instance.get("id").asString()))
				.containsExactlyInAnyOrder("a", "b");
			for (JsonNode instance : overview.get("instances")) {
				// Renewed every second, for a lease of two.
				assertThat(Duration.parse(instance.get("leaseAge").asString())).isLessThan(Duration.ofSeconds(2));
				assertThat(Duration.parse(instance.get("leaseExpiresIn").asString())).isPositive()
					.isLessThanOrEqualTo(Duration.ofSeconds(2));
			}
			assertThat(overview.get("rooms").asLong()).isEqualTo(2);
			assertThat(overview.get("onlineUsers").asLong()).isEqualTo(2);
			JsonNode onB = socket(Http.get(b.port(), "/actuator/switchboard").json(), "chat");
			assertThat(onB.get("localConnections").asLong()).isEqualTo(2);
			assertThat(onB.get("clusterConnections").asLong()).isEqualTo(3);
			anonymous.close();
			Await.until(
					() -> socket(Http.get(a.port(), "/actuator/switchboard").json(), "chat").get("clusterConnections")
						.asLong() == 2);
			assertThat(Http.get(a.port(), "/actuator/switchboard").json().get("rooms").asLong()).isEqualTo(1);
			una.close();
			vic.close();
			Await.until(() -> Http.get(a.port(), "/actuator/switchboard").json().get("rooms").asLong() == 0);
			// The counts of the last room and connection leave no key behind.
			assertThat(Topology.keysOf("endpoint")).allMatch(Topology::isLeaseKey);
		}
	}

	@Test
	void showsAConnectionOfAnotherInstanceByIdAndAnswers404ForAnUnknownOne() {
		TestRedis redis = TestRedis.shared();
		try (Instance a = Instance.start(redis, "lookup", "a", EXPOSED);
				Instance b = Instance.start(redis, "lookup", "b", EXPOSED);
				WsClient una = b.connect("/ws/chat?user=una&room=ops")) {
			Instant before = Instant.now().minusSeconds(1);
			String id = una.nextJson().get("connectionId").asString();
			b.switchboard().join(id, "dev").block(WsClient.TIMEOUT);
			Http.Response response = Http.get(a.port(), "/actuator/switchboard/" + id);
			assertThat(response.status()).isEqualTo(200);
			JsonNode connection = response.json();
			assertThat(connection.get("id").asString()).isEqualTo(id);
			assertThat(connection.get("socket").asString()).isEqualTo("chat");
			assertThat(connection.get("user").asString()).isEqualTo("una");
			assertThat(connection.get("instance").asString()).isEqualTo("b");
			assertThat(connection.get("rooms").valueStream().map(JsonNode::asString)).containsExactly("dev", "ops");
			assertThat(Instant.parse(connection.get("connectedAt").asString())).isBetween(before, Instant.now());
			assertThat(connection.get("remoteAddress").asString()).matches("127\\.0\\.0\\.1:\\d+");
			assertThat(Http.get(a.port(), "/actuator/switchboard/b.nosuchconnection").status()).isEqualTo(404);
			assertThat(Http.get(a.port(), "/actuator/switchboard/nosuchinstance").status()).isEqualTo(404);
			una.close();
			Await.until(() -> Http.get(a.port(), "/actuator/switchboard/" + id).status() == 404);
		}
	}

	@Test
	void answersFromRedisAboutAnInstanceThatCannotAnswerItself() {
		TestRedis redis = TestRedis.shared();
		Map<String, String> silent = Instance.properties(redis, "silent", "b");
		// Its lease outlives this test's reads by far: a purge would end them.
		silent.put("switchboard.redis.instance-timeout", "30s");
		try (Instance a = Instance.start(redis, "silent", "a", EXPOSED);
				AppInstance b = AppInstance.start(ClusterTestApplication.class, silent);
				WsClient una = WsClient.connect(b.wsUri("/ws/chat?user=una&room=ops"))) {
			String id = una.nextJson().get("connectionId").asString();
			Await.until(
					() -> socket(Http.get(a.port(), "/actuator/switchboard").json(), "chat").get("clusterConnections")
						.asLong() == 1);
			// Killed: it answers nothing any more, and gives nothing back to Redis.
			b.kill();
			JsonNode overview = Http.get(a.port(), "/actuator/switchboard").json();
			assertThat(socket(overview, "chat").get("clusterConnections").asLong()).isEqualTo(1);
			assertThat(overview.get("instances").valueStream().map((instance) -> instance.get("id").asString()))
				.containsExactlyInAnyOrder("a", "b");
			assertThat(overview.get("rooms").asLong()).isEqualTo(1);
			assertThat(overview.get("onlineUsers").asLong()).isEqualTo(1);
			JsonNode connection = Http.get(a.port(), "/actuator/switchboard/" + id).json();
			assertThat(connection.get("instance").asString()).isEqualTo("b");
			assertThat(connection.get("user").asString()).isEqualTo("una");
			assertThat(connection.get("rooms").valueStream().map(JsonNode::asString)).containsExactly("ops");
		}
	}

	@Test
	void answers503WhileRedisIsDownWithoutAnErrorInTheLogAndAnswersAgainOnceItIsBack(CapturedOutput output) {
		try (TestRedis redis = TestRedis.startNew();
				Instance a = Instance.start(redis, redis, "a", EXPOSED);
				Instance b = Instance.start(redis, redis, "b", EXPOSED);
				WsClient una = b.connect("/ws/chat?user=una")) {
			String id = una.nextJson().get("connectionId").asString();
			assertThat(health(a).get("status").asString()).isEqualTo("UP");
			redis.stop();
			Await.until(() -> !a.lease().state().reachable());
			Http.Response overview = Http.get(a.port(), "/actuator/switchboard");
			assertThat(overview.status()).isEqualTo(503);
			assertThat(overview.json().get("error").asString()).startsWith("Redis is unreachable");
			assertThat(Http.get(a.port(), "/actuator/switchboard/" + id).status()).isEqualTo(503);
			Http.Response health = Http.get(a.port(), "/actuator/health/switchboard");
			assertThat(health.status()).isEqualTo(503);
			assertThat(registryHealth(health.json()).get("details").get("reason").asString())
				.isEqualTo("redis-unreachable");
			redis.start();
			Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.until(() -> Http.get(a.port(), "/actuator/switchboard").status() == 200);
			assertThat(socket(Http.get(a.port(), "/actuator/switchboard").json(), "chat").get("clusterConnections")
				.asLong()).isEqualTo(1);
			assertThat(Http.get(a.port(), "/actuator/switchboard/" + id).json().get("instance").asString())
				.isEqualTo("b");
			JsonNode recovered = health(a);
			assertThat(recovered.get("status").asString()).isEqualTo("UP");
			assertThat(registryHealth(recovered).get("details").has("reason")).isFalse();
			assertThat(output.getOut() + output.getErr()).doesNotContain(" ERROR ").doesNotContain("\tat ");
		}
	}

	static JsonNode socket(JsonNode overview, String name) {
		return overview.get("sockets")
			.valueStream()
			.filter((socket) -> socket.get("name").asString().equals(name))
			.findFirst()
			.orElseThrow();
	}

	static JsonNode health(Instance instance) {
		return Http.get(instance.port(), "/actuator/health/switchboard").json();
	}

	static JsonNode registryHealth(JsonNode group) {
		return group.get("components").get("switchboardRegistry");
	}

}
