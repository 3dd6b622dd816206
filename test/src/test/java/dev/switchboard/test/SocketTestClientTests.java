package dev.switchboard.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@SpringBootTest(classes = EchoSocketApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SocketTestClientTests {

	@LocalServerPort
	int port;

	SocketTestClient client;

	@BeforeEach
	void bindClient() {
		this.client = SocketTestClient.bindToPort(this.port).path("/echo");
	}

	@Test
	void sendsTheQueryTheOriginAndTheTokenAfterItsMarker() {
		try (SocketTestSession session = this.client.queryParam("room", "a b")
			.queryParam("room", "c")
			.origin("https://chat.example")
			.subprotocols("chat.v2")
			.token("secret")
			.connect()) {
			JsonNode hello = session.expectType("hello");
			assertThat(hello.get("query").asString()).isEqualTo("room=a%20b&room=c");
			assertThat(hello.get("origin").asString()).isEqualTo("https://chat.example");
			assertThat(hello.get("offered").asString()).isEqualTo("chat.v2,switchboard.token,secret");
			assertThat(session.subprotocol()).isEqualTo("chat.v2");
		}
	}

	@Test
	void sendsTextJsonAndBytes() {
		try (SocketTestSession session = this.client.connect()) {
			session.expectType("hello");
			session.sendText("plain")
				.sendJson(Map.of("type", "echo", "n", 1))
				.sendBytes(new byte[] { 0, 1, (byte) 0xff });
			assertThat(session.expectText()).isEqualTo("plain");
			assertThat(session.expectMessage((message) -> message.get("n").asInt() == 1).get("type").asString())
				.isEqualTo("echo");
			assertThat(session.expectBytes()).containsExactly(0, 1, 0xff);
		}
	}

	@Test
	void matchesTheReplyByItsIdAndKeepsWhatCameBefore() {
		try (SocketTestSession session = this.client.connect()) {
			JsonNode first = session.request("request", Map.of());
			JsonNode second = session.request("request", Map.of());
			assertThat(first.get("id").asString()).isEqualTo("r1");
			assertThat(second.get("id").asString()).isEqualTo("r2");
			session.expectType("hello");
			session.expectType("noise");
			session.expectType("noise");
			session.expectNoMessage(Duration.ofMillis(50));
		}
	}

	@Test
	void saysWhatCameInsteadOfAReply() {
		try (SocketTestSession session = this.client.timeout(Duration.ofMillis(300)).connect()) {
			session.expectType("hello");
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> session.request("silent", Map.of()))
				.withMessageStartingWith("No reply with id \"r1\" to the \"silent\" request within PT0.3S")
				.withMessageContaining("received before: [text: {\"type\":\"noise\"}]");
			session.expectType("noise");
		}
	}

	@Test
	void saysWhichMessageCameInsteadOfTheExpectedOne() {
		try (SocketTestSession session = this.client.timeout(Duration.ofMillis(300)).connect()) {
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> session.expectType("welcome"))
				.withMessageStartingWith("Expected a message of type \"welcome\", received {\"type\":\"hello\"");
			session.sendText("not json");
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> session.expectError("bad-request"))
				.withMessage(
						"Expected an error reply with code \"bad-request\", received text: not json, which is not JSON");
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> session.expectText())
				.withMessage("Expected a text message, received nothing within PT0.3S");
			session.sendText("again");
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> session.expectNoMessage(Duration.ofMillis(300)))
				.withMessage("Expected no message for PT0.3S, received text: again");
		}
	}

	@Test
	void expectsTheCloseCodeAndSaysWhichOneCame() {
		try (SocketTestSession session = this.client.connect()) {
			session.sendText("close");
			assertThat(session.expectClose(4000).getReason()).isEqualTo("asked");
		}
		try (SocketTestSession session = this.client.connect()) {
			session.sendText("close");
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> session.expectClose(1008))
				.withMessageStartingWith("Expected the connection to close with 1008, but it closed with 4000 (asked); "
						+ "received before: [text: {\"type\":\"hello\"");
		}
		try (SocketTestSession session = this.client.timeout(Duration.ofMillis(300)).connect()) {
			session.expectType("hello");
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> session.expectClose(1000))
				.withMessage("Expected the connection to close with 1000, but it was still open after PT0.3S");
		}
	}

	@Test
	void expectsAHandshakeRejectedWithAStatus() {
		assertThat(SocketTestClient.bindToPort(this.port).path("/missing").expectHandshakeRejected(404)).isNotNull();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> SocketTestClient.bindToPort(this.port).path("/missing").expectHandshakeRejected(403))
			.withMessageStartingWith("Expected the handshake to ws://localhost:" + this.port
					+ "/missing to be rejected with 403, but it was answered with HTTP/1.1 404 Not Found");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.client.expectHandshakeRejected(401))
			.withMessage("Expected the handshake to ws://localhost:" + this.port
					+ "/echo to be rejected with 401, but it was accepted");
	}

	@Test
	void failsToConnectWhenTheHandshakeIsRefused() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> SocketTestClient.bindToPort(this.port).path("/missing").connect())
			.withMessageStartingWith("WebSocket handshake failed")
			.withMessageContaining("404");
	}

	@Test
	void givesUpAHandshakeThatGetsNoAnswerAtTheClientsTimeout() throws IOException {
		// Accepts connections (the backlog does) and never answers.
		try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
			SocketTestClient client = SocketTestClient.bindToUrl("ws://127.0.0.1:" + silent.getLocalPort() + "/")
				.timeout(Duration.ofMillis(500));
			long started = System.nanoTime();
			assertThatExceptionOfType(AssertionError.class).isThrownBy(client::connect)
				.withMessage("WebSocket handshake not completed within PT0.5S");
			// Not the close handshake's wait on top, which no one would answer.
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Await.TIMEOUT);
		}
	}

	@Test
	void bindsToAUrlWithAPath() {
		assertThat(SocketTestClient.bindToUrl("http://localhost:" + this.port + "/base/").path("echo").uri())
			.hasToString("ws://localhost:" + this.port + "/base/echo");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> SocketTestClient.bindToUrl("https://localhost/"))
			.withMessage("Expected a ws:// or http:// URL, got https://localhost/");
	}

}
