package dev.switchboard.runtime;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.registry.StreamHistory;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery with the in-memory history: a socket with {@code recovery} gets what it
 * missed, in order and once, before live messages, or is told that the history no longer
 * reaches back; a socket without it sees messages as they were sent.
 */
@TestPropertySource(properties = { "switchboard.history.streams[0].pattern=room:news*",
		"switchboard.history.streams[0].size=5", "switchboard.history.streams[0].age=10m" })
class RecoveryTests extends SocketTestSupport {

	@Autowired
	StreamHistory history;

	@Test
	void sendsWhatAClientMissedWhileAwayInOrderAndOnceBeforeLiveMessages() {
		JsonNode last;
		try (WsClient client = connect("/ws/feed?room=news-away")) {
			assertRecovered(client.nextJson(), "room:news-away", true);
			send("news-away", 1, 2);
			assertItem(client.nextJson(), 1);
			last = assertItem(client.nextJson(), 2);
		}
		send("news-away", 3, 4, 5);
		try (WsClient client = connect(recovering("/ws/feed?room=news-away", "room:news-away", last))) {
			long offset = last.get("offset").asLong();
			assertThat(assertItem(client.nextJson(), 3).get("offset").asLong()).isEqualTo(offset + 1);
			assertThat(assertItem(client.nextJson(), 4).get("offset").asLong()).isEqualTo(offset + 2);
			assertThat(assertItem(client.nextJson(), 5).get("offset").asLong()).isEqualTo(offset + 3);
			JsonNode recovered = assertRecovered(client.nextJson(), "room:news-away", true);
			assertThat(recovered.get("offset").asLong()).isEqualTo(offset + 3);
			assertThat(recovered.get("epoch").asString()).isEqualTo(last.get("epoch").asString());
			send("news-away", 6);
			assertThat(assertItem(client.nextJson(), 6).get("offset").asLong()).isEqualTo(offset + 4);
			assertThat(client.poll(Duration.ofMillis(200))).isNull();
		}
	}

	@Test
	void saysThatItCannotRecoverAPositionTheHistoryNoLongerHolds() {
		JsonNode last;
		try (WsClient client = connect("/ws/feed?room=news-trimmed")) {
			client.nextJson();
			send("news-trimmed", 1);
			last = assertItem(client.nextJson(), 1);
		}
		// The history keeps 5 messages: the 6th after the position pushes out the 1st.
		send("news-trimmed", 2, 3, 4, 5, 6, 7);
		try (WsClient client = connect(recovering("/ws/feed?room=news-trimmed", "room:news-trimmed", last))) {
			JsonNode recovered = assertRecovered(client.nextJson(), "room:news-trimmed", false);
			assertThat(recovered.get("offset").asLong()).isEqualTo(last.get("offset").asLong() + 6);
			send("news-trimmed", 8);
			assertItem(client.nextJson(), 8);
		}
	}

	@Test
	void saysThatItCannotRecoverMoreThanHalfTheOutboundBufferAtOnce() {
		JsonNode last;
		try (WsClient client = connect("/ws/feed?room=news-big")) {
			client.nextJson();
			send("news-big", 1);
			last = assertItem(client.nextJson(), 1);
		}
		// Five of 30 KB: more than half of the 256 KB a connection may have waiting.
		for (int i = 0; i < 5; i++) {
			this.switchboard.toRoom("news-big").send("x".repeat(30_000)).block();
		}
		try (WsClient client = connect(recovering("/ws/feed?room=news-big", "room:news-big", last))) {
			JsonNode recovered = assertRecovered(client.nextJson(), "room:news-big", false);
			assertThat(recovered.get("offset").asLong()).isEqualTo(last.get("offset").asLong() + 5);
		}
	}

	@Test
	void saysThatItCannotRecoverAPositionOfAnotherEpoch() {
		try (WsClient client = connect("/ws/feed?room=news-epoch")) {
			client.nextJson();
			send("news-epoch", 1);
			assertItem(client.nextJson(), 1);
		}
		JsonNode elsewhere = JsonMapper.builder().build().readTree("{\"epoch\":\"42\",\"offset\":1}");
		try (WsClient client = connect(recovering("/ws/feed?room=news-epoch", "room:news-epoch", elsewhere))) {
			assertRecovered(client.nextJson(), "room:news-epoch", false);
		}
	}

	@Test
	void saysThatItCannotRecoverAPositionFurtherOnThanTheStream() {
		JsonNode last;
		try (WsClient client = connect("/ws/feed?room=news-ahead")) {
			client.nextJson();
			send("news-ahead", 1);
			last = assertItem(client.nextJson(), 1);
		}
		JsonNode ahead = JsonMapper.builder()
			.build()
			.readTree("{\"epoch\":\"" + last.get("epoch").asString() + "\",\"offset\":"
					+ (last.get("offset").asLong() + 5) + "}");
		try (WsClient client = connect(recovering("/ws/feed?room=news-ahead", "room:news-ahead", ahead))) {
			JsonNode recovered = assertRecovered(client.nextJson(), "room:news-ahead", false);
			assertThat(recovered.get("offset").asLong()).isEqualTo(last.get("offset").asLong());
			send("news-ahead", 2);
			assertItem(client.nextJson(), 2);
		}
	}

	@Test
	void fillsAGapInWhatReachesTheInstanceFromTheHistory() {
		try (WsClient client = connect("/ws/feed?room=news-gap")) {
			client.nextJson();
			send("news-gap", 1);
			assertItem(client.nextJson(), 1);
			// In the history but never delivered, as when a publish is lost on its way.
			this.history
				.append("room:news-gap", new StreamHistory.Limits(5, Duration.ofMinutes(10)),
						"{\"type\":\"item\",\"n\":2}".getBytes(StandardCharsets.UTF_8))
				.block();
			send("news-gap", 3);
			// The read that fills the gap finds the 3rd too; its live copy is then a
			// duplicate.
			assertItem(client.nextJson(), 2);
			assertItem(client.nextJson(), 3);
			assertRecovered(client.nextJson(), "room:news-gap", true);
			assertThat(client.poll(Duration.ofMillis(200))).isNull();
		}
	}

	@Test
	void movesAConnectionThatASendLeftOutPastItsMessageWithoutSendingIt() {
		try (WsClient ann = connect("/ws/feed?room=news-except&user=ann");
				WsClient ben = connect("/ws/feed?room=news-except&user=ben")) {
			ann.nextJson();
			ben.nextJson();
			String annId = this.switchboard.membersOf("news-except")
				.filter((member) -> "ann".equals(member.user()))
				.blockFirst()
				.id();
			this.switchboard.toRoom("news-except").except(annId).send(new Item("item", 1)).block();
			assertItem(ben.nextJson(), 1);
			send("news-except", 2);
			assertItem(ben.nextJson(), 2);
			// Not taken for a gap: nothing is fetched from the history.
			assertItem(ann.nextJson(), 2);
			assertThat(ann.poll(Duration.ofMillis(200))).isNull();
		}
	}

	@Test
	void syncsARoomJoinedAfterTheConnectionOpened() {
		try (WsClient client = connect("/ws/feed")) {
			// Before anyone follows the room: kept in its history, delivered to no one.
			assertThat(this.switchboard.toRoom("news-later").send(new Item("item", 1)).block().reached()).isZero();
			client.send("{\"type\":\"join\",\"room\":\"news-later\"}");
			JsonNode recovered = assertRecovered(client.nextJson(), "room:news-later", true);
			assertThat(recovered.get("offset").asLong()).isEqualTo(1);
			assertThat(client.nextJson().get("type").asString()).isEqualTo("joined");
			send("news-later", 2);
			assertThat(assertItem(client.nextJson(), 2).get("offset").asLong()).isEqualTo(2);
		}
	}

	@Test
	void sendsTextThatIsNotJsonAsAString() {
		try (WsClient client = connect("/ws/feed?room=news-text")) {
			client.nextJson();
			this.switchboard.toRoom("news-text").send("plain words").block();
			JsonNode message = client.nextJson();
			assertThat(message.get("type").asString()).isEqualTo("switchboard.message");
			assertThat(message.get("data").asString()).isEqualTo("plain words");
		}
	}

	@Test
	void sendsMessagesAsTheyWereSentToSocketsWithoutRecovery() {
		try (WsClient feed = connect("/ws/feed?room=news-plain"); WsClient chat = connect("/ws/chat?room=news-plain")) {
			feed.nextJson();
			chat.nextJson();
			send("news-plain", 1);
			assertThat(chat.nextText()).isEqualTo("{\"type\":\"item\",\"n\":1}");
			assertItem(feed.nextJson(), 1);
		}
	}

	@Test
	void answersARecoverParameterThatIsNotOneWithABadRequestAndCannotRecover() {
		try (WsClient client = connect("/ws/feed?room=news-bad&switchboard-recover=oops")) {
			JsonNode error = client.nextJson();
			assertThat(error.get("code").asString()).isEqualTo("bad-request");
			assertThat(error.get("error").asString()).contains("switchboard-recover");
			// What the client saw is not known: it is told to reload.
			assertRecovered(client.nextJson(), "room:news-bad", false);
		}
	}

	private void send(String room, int... items) {
		for (int n : items) {
			this.switchboard.toRoom(room).send(new Item("item", n)).block();
		}
	}

	private static JsonNode assertItem(JsonNode message, int n) {
		assertThat(message.get("type").asString()).as(message.toString()).isEqualTo("switchboard.message");
		assertThat(message.get("data").get("n").asInt()).as(message.toString()).isEqualTo(n);
		return message;
	}

	private static JsonNode assertRecovered(JsonNode message, String stream, boolean recovered) {
		assertThat(message.get("type").asString()).as(message.toString()).isEqualTo("switchboard.recovered");
		assertThat(message.get("stream").asString()).isEqualTo(stream);
		assertThat(message.get("recovered").asBoolean()).as(message.toString()).isEqualTo(recovered);
		return message;
	}

	static String recovering(String path, String stream, JsonNode position) {
		String positions = "{\"" + stream + "\":{\"epoch\":\"" + position.get("epoch").asString() + "\",\"offset\":"
				+ position.get("offset").asLong() + "}}";
		return path + "&switchboard-recover=" + URLEncoder.encode(positions, StandardCharsets.UTF_8);
	}

	record Item(String type, int n) {

	}

}
