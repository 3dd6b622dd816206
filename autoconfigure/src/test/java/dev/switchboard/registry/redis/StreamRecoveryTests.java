package dev.switchboard.registry.redis;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import dev.switchboard.registry.StreamHistory;
import dev.switchboard.registry.StreamHistory.Entry;
import dev.switchboard.registry.StreamHistory.Limits;
import dev.switchboard.registry.StreamHistory.Position;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams with history in Redis, on the shared server, which the cluster suite makes a
 * Redis Cluster: a client that reconnects to another instance gets every message sent,
 * once and in order; the history keeps what its limits say.
 */
class StreamRecoveryTests {

	private static Instance a;

	private static Instance b;

	@BeforeAll
	static void start() {
		TestRedis redis = TestRedis.shared();
		a = Instance.start(redis, "recovery", "a", RecoveryAcrossInstancesTests.HISTORY);
		b = Instance.start(redis, "recovery", "b", RecoveryAcrossInstancesTests.HISTORY);
	}

	@AfterAll
	static void stop() {
		Instance.closeAll(a, b);
	}

	@Test
	void sendsWhatAClientMissedWhenItReconnectsToAnotherInstance() {
		JsonNode last;
		try (WsClient client = a.connect("/ws/feed?room=moving")) {
			assertRecovered(client.nextJson(), true);
			b.switchboard().toRoom("moving").send("1").block();
			last = assertItem(client.nextJson(), "1");
		}
		Await.until(() -> !a.switchboard().membersOf("moving").hasElements().block());
		b.switchboard().toRoom("moving").send("2").block();
		a.switchboard().toRoom("moving").send("3").block();
		try (WsClient client = b.connect(recovering("/ws/feed?room=moving", last))) {
			assertThat(assertItem(client.nextJson(), "2").get("offset").asLong())
				.isEqualTo(last.get("offset").asLong() + 1);
			assertItem(client.nextJson(), "3");
			assertRecovered(client.nextJson(), true);
			a.switchboard().toRoom("moving").send("4").block();
			assertItem(client.nextJson(), "4");
		}
	}

	@Test
	void endsWithEveryMessageSentOnceAndInOrderWhenItMovesToAnotherInstanceDuringSends() throws Exception {
		List<String> sent = Collections.synchronizedList(new ArrayList<>());
		List<String> received = new ArrayList<>();
		JsonNode last;
		WsClient first = a.connect("/ws/feed?room=ticker");
		assertRecovered(first.nextJson(), true);
		// 150 messages, one every few milliseconds, from both instances in turn.
		CompletableFuture<Void> sending = Flux.interval(Duration.ofMillis(3))
			.onBackpressureDrop()
			.take(150)
			.concatMap((tick) -> {
				String n = Long.toString(tick + 1);
				Instance from = (tick % 2 == 0) ? a : b;
				return from.switchboard()
					.toRoom("ticker")
					.send(n)
					.doOnNext((result) -> sent.add(n))
					.onErrorResume((ex) -> Mono.empty());
			}, 1)
			.then()
			.toFuture();
		try (first) {
			last = readUntil(first, received, 30);
		}
		try (WsClient client = b.connect(recovering("/ws/feed?room=ticker", last))) {
			sending.get(30, TimeUnit.SECONDS);
			String lastSent = sent.get(sent.size() - 1);
			while (!received.contains(lastSent)) {
				readUntil(client, received, received.size() + 1);
			}
			assertThat(client.poll(Duration.ofMillis(200))).isNull();
		}
		assertThat(String.join(",", received)).as("every message sent, once, in order")
			.isEqualTo(String.join(",", sent));
	}

	@Test
	void fillsAMessageThatNeverReachedTheInstanceFromTheHistoryBeforeTheNextOne() {
		try (WsClient client = a.connect("/ws/feed?room=lossy")) {
			assertRecovered(client.nextJson(), true);
			b.switchboard().toRoom("lossy").send("1").block();
			assertItem(client.nextJson(), "1");
			// Kept but never published, as a publish that a resubscribing instance
			// missed.
			b.bean(StreamHistory.class)
				.append("room:lossy", new Limits(1000, Duration.ofMinutes(10)), "2".getBytes(StandardCharsets.UTF_8))
				.block();
			b.switchboard().toRoom("lossy").send("3").block();
			assertItem(client.nextJson(), "2");
			assertItem(client.nextJson(), "3");
			assertRecovered(client.nextJson(), true);
			b.switchboard().toRoom("lossy").send("4").block();
			assertItem(client.nextJson(), "4");
		}
	}

	@Test
	void keepsAtMostItsSizeAndCannotRecoverAPositionBeforeIt() {
		StreamHistory history = a.bean(StreamHistory.class);
		Limits limits = new Limits(3, Duration.ofMinutes(10));
		Position first = append(history, "room:limited-size", limits, "1");
		for (int n = 2; n <= 4; n++) {
			append(history, "room:limited-size", limits, Integer.toString(n));
		}
		StreamHistory.Read read = b.bean(StreamHistory.class).read("room:limited-size", first, limits).block();
		assertThat(read.complete()).isTrue();
		assertThat(read.entries()).extracting(Entry::offset).containsExactly(2L, 3L, 4L);
		assertThat(read.entries()).extracting((entry) -> new String(entry.message(), StandardCharsets.UTF_8))
			.containsExactly("2", "3", "4");
		StreamHistory.Read before = history.read("room:limited-size", new Position(first.epoch(), 0), limits).block();
		assertThat(before.complete()).isFalse();
		assertThat(before.top()).isEqualTo(new Position(first.epoch(), 4));
	}

	@Test
	void keepsMessagesForAtMostTheirAgeButRemembersThePosition() {
		StreamHistory history = a.bean(StreamHistory.class);
		Limits limits = new Limits(100, Duration.ofMillis(300));
		Position first = append(history, "room:limited-age", limits, "1");
		Position before = new Position(first.epoch(), 0);
		assertThat(history.read("room:limited-age", before, limits).block().entries()).hasSize(1);
		Await.until(() -> !history.read("room:limited-age", before, limits).block().complete());
		StreamHistory.Read current = history.read("room:limited-age", first, limits).block();
		assertThat(current.complete()).as("nothing was missed after the last message").isTrue();
		assertThat(current.top()).isEqualTo(first);
	}

	private static Position append(StreamHistory history, String stream, Limits limits, String message) {
		return history.append(stream, limits, message.getBytes(StandardCharsets.UTF_8)).block();
	}

	// Reads messages until the list holds a number of them; returns the last.
	private static JsonNode readUntil(WsClient client, List<String> received, int count) {
		JsonNode last = null;
		while (received.size() < count || last == null) {
			JsonNode message = client.nextJson();
			if (message.get("type").asString().equals("switchboard.recovered")) {
				assertThat(message.get("recovered").asBoolean()).as(message.toString()).isTrue();
				continue;
			}
			received.add(message.get("data").asString());
			last = message;
		}
		return last;
	}

	static JsonNode assertItem(JsonNode message, String data) {
		assertThat(message.get("type").asString()).as(message.toString()).isEqualTo("switchboard.message");
		assertThat(message.get("data").asString()).as(message.toString()).isEqualTo(data);
		return message;
	}

	static JsonNode assertRecovered(JsonNode message, boolean recovered) {
		assertThat(message.get("type").asString()).as(message.toString()).isEqualTo("switchboard.recovered");
		assertThat(message.get("recovered").asBoolean()).as(message.toString()).isEqualTo(recovered);
		return message;
	}

	static String recovering(String path, JsonNode position) {
		String positions = "{\"" + position.get("stream").asString() + "\":{\"epoch\":\""
				+ position.get("epoch").asString() + "\",\"offset\":" + position.get("offset").asLong() + "}}";
		return path + "&switchboard-recover=" + URLEncoder.encode(positions, StandardCharsets.UTF_8);
	}

}
