package dev.switchboard.docs.testing;

// tag::imports[]
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.socket.CloseStatus;
import tools.jackson.databind.JsonNode;

import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;
import dev.switchboard.test.SocketTestClient;
import dev.switchboard.test.SocketTestSession;

import static org.assertj.core.api.Assertions.assertThat;
// end::imports[]

// demo-chat's application.yml, on this class path, is not the tested application's.
@TestPropertySource(properties = "spring.config.name=testing")
// tag::client[]
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatSocketTests {

	@LocalServerPort
	int port;

	@Autowired
	Switchboard switchboard;

	SocketTestClient client;

	@BeforeEach
	void bindClient() {
		this.client = SocketTestClient.bindToPort(this.port).path("/ws/chat");
	}

	@Test
	void welcomesTheUserOfTheToken() {
		try (SocketTestSession ann = this.client.token("ann-token").connect()) {
			JsonNode welcome = ann.expectType("welcome");
			assertThat(welcome.get("user").asString()).isEqualTo("ann");
			ann.expectNoMessage(Duration.ofMillis(100));
		}
	}
	// end::client[]

	// tag::request[]
	@Test
	void answersARequestWithItsId() {
		try (SocketTestSession ann = this.client.token("ann-token").connect()) {
			JsonNode reply = ann.request("echo", Map.of("text", "hello"));
			assertThat(reply.get("text").asString()).isEqualTo("hello");
			ann.expectType("welcome");
		}
	}

	@Test
	void answersAnUnknownTypeWithAnError() {
		try (SocketTestSession ann = this.client.token("ann-token").connect()) {
			ann.expectType("welcome");
			JsonNode error = ann.request("dance", Map.of());
			assertThat(error.get("code").asString()).isEqualTo("not-found");
			ann.sendText("not json");
			ann.expectError("bad-request");
		}
	}
	// end::request[]

	// tag::close[]
	@Test
	void closesAConnectionToAClosedRoomWith1008() {
		try (SocketTestSession ann = this.client.token("ann-token").queryParam("room", "closed").connect()) {
			CloseStatus status = ann.expectClose(1008);
			assertThat(status.getReason()).isEqualTo("room closed");
		}
	}
	// end::close[]

	// tag::handshake[]
	@Test
	void refusesAHandshakeWithoutAToken() {
		String body = this.client.expectHandshakeRejected(401);
		assertThat(body).contains("authentication required");
	}

	@Test
	void refusesAPageOfAnotherOrigin() {
		this.client.token("ann-token").origin("https://elsewhere.example").expectHandshakeRejected(403);
	}
	// end::handshake[]

	// tag::rooms[]
	@Test
	void sendsToTheMembersOfARoom() {
		try (SocketTestSession ann = this.client.token("ann-token").connect();
				SocketTestSession bob = this.client.token("bob-token").connect()) {
			ann.expectType("welcome");
			bob.expectType("welcome");
			JsonNode joined = ann.request("join", Map.of("room", "lobby"));
			assertThat(joined.get("room").asString()).isEqualTo("lobby");
			SendResult result = this.switchboard.toRoom("lobby")
				.send(Map.of("type", "notice", "text", "hello lobby"))
				.block(Duration.ofSeconds(5));
			assertThat(result.reached()).isEqualTo(1);
			assertThat(ann.expectType("notice").get("text").asString()).isEqualTo("hello lobby");
			bob.expectNoMessage(Duration.ofMillis(200));
		}
	}
	// end::rooms[]

}
