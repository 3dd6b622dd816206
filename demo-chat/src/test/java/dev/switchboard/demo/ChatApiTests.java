package dev.switchboard.demo;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatApiTests {

	@LocalServerPort
	int port;

	@Autowired
	TokenService tokens;

	WebTestClient http;

	@BeforeEach
	void createClient() {
		this.http = WebTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	@Test
	void signInGivesATokenTheSocketAccepts() {
		SignedIn signedIn = this.http.post()
			.uri("/api/sign-in")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"quinn\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(SignedIn.class)
			.returnResult()
			.getResponseBody();
		assertThat(signedIn.name()).isEqualTo("quinn");
		assertThat(this.tokens.verify(signedIn.token())).hasValue("quinn");
		try (ChatClient quinn = ChatClient.connect(this.port, signedIn.token())) {
			assertThat(quinn.next("welcome").path("user").asString()).isEqualTo("quinn");
		}
	}

	@Test
	void signInRefusesANameThatIsNotAName() {
		for (String body : new String[] { "{\"name\":\"two words\"}", "{\"name\":\"\"}", "{}",
				"{\"name\":\"a-name-longer-than-twenty\"}" }) {
			this.http.post()
				.uri("/api/sign-in")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(body)
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.error")
				.isEqualTo("name must be 1 to 20 letters, digits, - or _");
		}
	}

	@Test
	void roomsListsTheDefaultRoomsFirst() {
		this.http.get()
			.uri("/api/rooms")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[0]")
			.isEqualTo("general")
			.jsonPath("$[1]")
			.isEqualTo("random")
			.jsonPath("$[2]")
			.isEqualTo("help");
	}

	@Test
	void noticeReachesTheMembersOfARoom() {
		try (ChatClient rita = connect("rita")) {
			rita.send("{\"type\":\"join\",\"room\":\"lobby\"}").next("joined");
			postNotice("{\"room\":\"lobby\",\"text\":\"Maintenance at noon\"}").jsonPath("$.reached").isEqualTo(1);
			assertThat(rita.next("notice").path("text").asString()).isEqualTo("Maintenance at noon");
		}
	}

	@Test
	void noticeReachesEveryDeviceOfAUser() {
		try (ChatClient phone = connect("sam"); ChatClient laptop = connect("sam")) {
			laptop.next("welcome");
			postNotice("{\"user\":\"sam\",\"text\":\"Your export is ready\"}").jsonPath("$.reached").isEqualTo(2);
			assertThat(phone.next("notice").path("text").asString()).isEqualTo("Your export is ready");
			assertThat(laptop.next("notice").path("text").asString()).isEqualTo("Your export is ready");
		}
	}

	@Test
	void noticeNeedsARoomOrAUser() {
		this.http.post()
			.uri("/api/notice")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"text\":\"to whom?\"}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("give either a room or a user");
	}

	@Test
	void signOutClosesEveryConnectionOfTheUser() {
		String token = this.tokens.sign("tom");
		try (ChatClient phone = ChatClient.connect(this.port, token);
				ChatClient laptop = ChatClient.connect(this.port, token)) {
			laptop.next("welcome");
			this.http.post()
				.uri("/api/sign-out")
				.header("Authorization", "Bearer " + token)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.reached")
				.isEqualTo(2);
			for (ChatClient device : new ChatClient[] { phone, laptop }) {
				CloseStatus status = device.awaitClose();
				assertThat(status.getCode()).isEqualTo(1008);
				assertThat(status.getReason()).isEqualTo("signed out");
			}
		}
	}

	@Test
	void signOutRefusesAnInvalidToken() {
		this.http.post()
			.uri("/api/sign-out")
			.header("Authorization", "Bearer not-a-token")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid token");
	}

	private WebTestClient.BodyContentSpec postNotice(String json) {
		return this.http.post()
			.uri("/api/notice")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody();
	}

	private ChatClient connect(String user) {
		return ChatClient.connect(this.port, this.tokens.sign(user));
	}

	record SignedIn(String token, String name) {
	}

}
