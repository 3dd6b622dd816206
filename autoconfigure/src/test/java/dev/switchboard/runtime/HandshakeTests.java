package dev.switchboard.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.switchboard.ErrorCode;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class HandshakeTests extends SocketTestSupport {

	// The table of errors.md, by ErrorCode: a code added without a status fails here.
	private static final Map<ErrorCode, Integer> STATUS_OF_CODE = Map.of(ErrorCode.BAD_REQUEST, 400,
			ErrorCode.FORBIDDEN, 403, ErrorCode.NOT_FOUND, 404, ErrorCode.RATE_LIMITED, 429, ErrorCode.TIMEOUT, 503,
			ErrorCode.INTERNAL, 500);

	private String status(String path, Map<String, String> headers) {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, path, headers)) {
			return client.responseHead().lines().findFirst().orElse("");
		}
	}

	@Test
	void refusesAForeignOriginWith403WithoutUpgrading() {
		assertThat(status("/ws/routing", Map.of("Origin", "https://evil.example"))).startsWith("HTTP/1.1 403");
		assertThat(status("/ws/secure", Map.of("Origin", "https://evil.example", "Authorization", "Bearer token-zed")))
			.startsWith("HTTP/1.1 403");
		assertThat(this.events.events(String.class, "secure connected zed"::equals)).isEmpty();
	}

	@Test
	void acceptsThePagesOwnOrigin() {
		assertThat(status("/ws/routing", Map.of("Origin", "http://localhost:" + this.port))).startsWith("HTTP/1.1 101");
	}

	@Test
	void comparesOriginsWholeIncludingThePort() {
		assertThat(status("/ws/routing", Map.of("Origin", "http://localhost:" + this.port + "1")))
			.startsWith("HTTP/1.1 403");
		assertThat(status("/ws/routing", Map.of("Origin", "http://localhost.evil.example:" + this.port)))
			.startsWith("HTTP/1.1 403");
		assertThat(status("/ws/routing", Map.of("Origin", "null"))).startsWith("HTTP/1.1 403");
	}

	@Test
	void acceptsAHandshakeWithoutAnOriginFromANonBrowserClient() {
		assertThat(status("/ws/routing", Map.of())).startsWith("HTTP/1.1 101");
	}

	@Test
	void refusesAnUnsupportedWebSocketVersionWith426() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/routing",
				Map.of("Sec-WebSocket-Version", "8"))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 426").contains("Sec-WebSocket-Version: 13");
		}
	}

	@Test
	void refusesAHandshakeWithoutKeyWith400() {
		assertThat(status("/ws/routing", Map.of("Sec-WebSocket-Key", ""))).startsWith("HTTP/1.1 400");
	}

	@Test
	void refusesOfferedSubprotocolsItDoesNotSpeakWith400() {
		assertThat(status("/ws/rooms/x/arguments", Map.of("Sec-WebSocket-Protocol", "v9, v8")))
			.startsWith("HTTP/1.1 400");
	}

	@Test
	void acceptsAClientThatOffersNoSubprotocolWithoutOne() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/rooms/x/arguments", Map.of())) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 101")
				.doesNotContainIgnoringCase("Sec-WebSocket-Protocol");
		}
	}

	@Test
	void ignoresOfferedSubprotocolsOnASocketThatDeclaresNone() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/routing",
				Map.of("Sec-WebSocket-Protocol", "v9"))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 101")
				.doesNotContainIgnoringCase("Sec-WebSocket-Protocol");
		}
	}

	@Test
	void leavesRequestsThatAreNotUpgradesToTheRestOfTheApplication() {
		assertThat(status("/ws/routing", Map.of("Upgrade", "h2c"))).startsWith("HTTP/1.1 404");
	}

	@Test
	void refusesAHandshakeWhoseConnectionHeaderLacksUpgradeWith400() {
		assertThat(status("/ws/routing", Map.of("Connection", "keep-alive"))).startsWith("HTTP/1.1 400");
	}

	@ParameterizedTest
	@EnumSource(ErrorCode.class)
	void answersAClientErrorOfAnInterceptorWithTheStatusOfItsCode(ErrorCode code) {
		assertThat(STATUS_OF_CODE).containsKey(code);
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/routing", Map.of("X-Refuse", code.name()))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 " + STATUS_OF_CODE.get(code) + " ");
			assertThat(client.responseBody()).isEqualTo("{\"error\":\"refused as " + code.name() + "\"}");
		}
	}

	@Test
	void answersARejectionOfAnInterceptorWithoutAStatusWith403() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/routing", Map.of("X-Refuse", "reject"))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 403 ");
			assertThat(client.responseBody()).isEqualTo("{\"error\":\"not today\"}");
		}
	}

	@Test
	void answersAnInterceptorThatFailsWith500AndLogsTheFailure(CapturedOutput output) {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/routing", Map.of("X-Refuse", "explode"))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 500 ");
			assertThat(client.responseBody()).isEqualTo("{\"error\":\"internal error\"}");
		}
		assertThat(output).contains("java.lang.IllegalStateException: guard internals");
	}

	@Test
	void answersARequestLineTooLongWith414AndCloses() {
		String response = answer("GET /ws/routing?q=" + "x".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
		assertThat(response).startsWith("HTTP/1.1 414 ");
	}

	@Test
	void answersHeadersTooLargeWith431AndCloses() {
		String response = answer("GET /ws/routing HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "x".repeat(20_000)
				+ "\r\nUpgrade: websocket\r\n\r\n");
		assertThat(response).startsWith("HTTP/1.1 431 ");
	}

	@Test
	void answersARequestThatCannotBeDecodedWith400AndCloses() {
		assertThat(answer("HELLO\r\n\r\n")).startsWith("HTTP/1.1 400 ");
	}

	// Everything the server sends until it closes the connection: a read that times out
	// fails the test.
	private String answer(String request) {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout((int) WsClient.TIMEOUT.toMillis());
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new AssertionError("No complete answer to the request", ex);
		}
	}

}
