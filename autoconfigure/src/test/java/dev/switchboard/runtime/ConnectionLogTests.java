package dev.switchboard.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log lines of connections, with real clients: openings and closes at DEBUG, losses
 * and rejections at INFO and bounded per reason, and never a token, a query string, a
 * header or a message (docs/operations.md, Logs). Every Switchboard logger is at DEBUG
 * here, so that no line of any level escapes the check for secrets.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "logging.level.dev.switchboard=debug", "switchboard.logging.lines-per-interval=3",
		"switchboard.logging.interval=5s", "switchboard.security.token.query-parameter=access_token",
		"switchboard.limits.messages-per-second=5", "switchboard.limits.message-burst=5",
		"switchboard.limits.rate-limit-action=close" })
class ConnectionLogTests extends SocketTestSupport {

	private static final Duration INTERVAL = Duration.ofSeconds(5);

	@Test
	void logsEachOpeningAndCloseAtDebugWithTheCloseCodeAndReason(CapturedOutput output) {
		String id;
		try (RawWebSocket client = raw("/ws/greeting?user=ada")) {
			id = greetingId(client);
			client.sendClose(4000, "done");
			assertThat(client.awaitCloseCode()).isEqualTo(4000);
		}
		awaitLine(output, "DEBUG",
				"Connection opened: id=" + Pattern.quote(id) + " socket=greeting user=ada remote=\\S+:\\d+$");
		awaitLine(output, "DEBUG", "Connection closed: id=" + Pattern.quote(id)
				+ " socket=greeting user=ada remote=\\S+:\\d+ code=4000 reason=\"done\" closed-by=client$");
	}

	@Test
	void escapesWhatTheClientChoseSoThatItCannotForgeALine(CapturedOutput output) {
		String id;
		try (RawWebSocket client = raw("/ws/greeting?user=ada")) {
			id = greetingId(client);
			client.sendClose(4001, "a\"b\\c\nINFO forged");
			assertThat(client.awaitCloseCode()).isEqualTo(4001);
		}
		awaitLine(output, "DEBUG", "Connection closed: id=" + Pattern.quote(id)
				+ " .* code=4001 reason=\"a\\\\\"b\\\\\\\\c\\\\u000aINFO forged\" closed-by=client$");
		assertThat(output).doesNotContain("\nINFO forged");
	}

	@Test
	void logsAConnectionLostWithoutACloseFrameAtInfo(CapturedOutput output) {
		String id;
		try (RawWebSocket client = raw("/ws/greeting")) {
			id = greetingId(client);
			client.reset();
		}
		awaitLine(output, "INFO",
				"Connection lost: id=" + Pattern.quote(id) + " socket=greeting user=anonymous remote=\\S+ code=1006$");
	}

	@Test
	void logsARateLimitCloseAsARejectionAtInfo(CapturedOutput output) {
		String id;
		try (RawWebSocket client = raw("/ws/greeting?user=bob")) {
			id = greetingId(client);
			for (int i = 0; i < 20; i++) {
				client.sendText("{\"type\":\"too-fast\"}");
			}
			assertThat(client.awaitCloseCode()).isEqualTo(1008);
		}
		awaitLine(output, "INFO", "Connection rejected: id=" + Pattern.quote(id)
				+ " socket=greeting user=bob remote=\\S+ code=1008 reason=\"rate limit exceeded\"$");
	}

	@Test
	void logsAConnectionThatOnConnectRejectsAsARejectionAndOneItFailsAsAClose(CapturedOutput output) {
		try (WsClient rejected = connect("/ws/rejecting?mode=reject&user=mia")) {
			assertThat(rejected.awaitClose().getCode()).isEqualTo(1008);
		}
		awaitLine(output, "INFO", "Connection rejected: id=\\S+ socket=rejecting user=mia remote=\\S+ code=1008 "
				+ "reason=\"invitation required\"$");
		try (WsClient failed = connect("/ws/rejecting?mode=fail&user=noa")) {
			assertThat(failed.awaitClose().getCode()).isEqualTo(1011);
		}
		awaitLine(output, "DEBUG", "Connection closed: id=\\S+ socket=rejecting user=noa remote=\\S+ code=1011 "
				+ "reason=\"internal error\" closed-by=server$");
	}

	@Test
	void logsAFewRefusalsOfAReasonPerIntervalAndCountsTheOthers(CapturedOutput output) {
		Pattern refused = line("INFO",
				"Handshake refused: socket=greeting user=anonymous remote=\\S+ status=403 reason=\"origin not allowed\"");
		long start = System.nanoTime();
		for (int i = 0; i < 20; i++) {
			refuse();
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		long lines = output.getOut().lines().filter((line) -> refused.matcher(line).find()).count();
		assertThat(lines).as("lines for 20 refusals in %s", elapsed)
			.isBetween(3L, 3 * (elapsed.toMillis() / INTERVAL.toMillis() + 1))
			.isLessThan(20);
		// Once the interval is over, the next refusal's line counts those not logged.
		Pattern counted = line("INFO", "Handshake refused: socket=greeting .* status=403 reason=\"origin not allowed\" "
				+ "\\(and \\d+ more like it since the last line, not logged\\)$");
		Awaitility.await().atMost(INTERVAL.multipliedBy(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
			refuse();
			return output.getOut().lines().anyMatch((line) -> counted.matcher(line).find());
		});
	}

	@Test
	void neverLogsATokenAQueryStringAHeaderOrAMessage(CapturedOutput output) {
		try (WsClient query = connect("/ws/secure?access_token=token-tq7x&flavor=QUERY-9c1");
				WsClient subprotocol = WsClient.connect(uri("/ws/secure"), (headers) -> {
				}, "switchboard.token", "token-sp4k");
				WsClient header = WsClient.connect(uri("/ws/secure"), (headers) -> {
					headers.set("Authorization", "Bearer token-hd8w");
					headers.set("X-Note", "HEADER-31b");
				})) {
			assertThat(query.nextText()).isEqualTo("hello tq7x");
			assertThat(subprotocol.nextText()).isEqualTo("hello sp4k");
			assertThat(header.nextText()).isEqualTo("hello hd8w");
		}
		try (RawWebSocket forged = RawWebSocket.handshake(this.port, "/ws/secure?access_token=forged-Q81z", Map.of())) {
			assertThat(forged.responseHead()).startsWith("HTTP/1.1 401");
		}
		try (WsClient client = connect("/ws/logging?user=eve")) {
			client.send("{\"type\":\"plain\",\"note\":\"BODY-66a1\"}");
			assertThat(client.nextJson().get("requestId")).isNotNull();
			client.send("{\"type\":\"logged-failure\",\"note\":\"BODY-66a2\"}");
			assertThat(client.nextJson().get("code").asString()).isEqualTo("internal");
		}
		for (String user : List.of("tq7x", "sp4k", "hd8w", "eve")) {
			awaitLine(output, "DEBUG", "Connection closed: id=\\S+ socket=\\S+ user=" + user + " ");
		}
		awaitLine(output, "INFO",
				"Handshake refused: socket=secure user=anonymous remote=\\S+ status=401 " + "reason=\"invalid token\"");
		assertThat(output).doesNotContain("token-tq7x")
			.doesNotContain("QUERY-9c1")
			.doesNotContain("access_token")
			.doesNotContain("token-sp4k")
			.doesNotContain("token-hd8w")
			.doesNotContain("HEADER-31b")
			.doesNotContain("forged-Q81z")
			.doesNotContain("BODY-66a");
	}

	private void refuse() {
		try (RawWebSocket refused = RawWebSocket.handshake(this.port, "/ws/greeting",
				Map.of("Origin", "https://evil.example"))) {
			assertThat(refused.responseHead()).startsWith("HTTP/1.1 403");
		}
	}

	private static void awaitLine(CapturedOutput output, String level, String message) {
		Pattern pattern = line(level, message);
		Awaitility.await()
			.atMost(WsClient.TIMEOUT)
			.untilAsserted(() -> assertThat(output.getOut().lines().filter((line) -> pattern.matcher(line).find()))
				.as("a %s line matching %s", level, message)
				.isNotEmpty());
	}

	private static Pattern line(String level, String message) {
		return Pattern.compile("^\\S+\\s+" + level + "\\s.*: " + message);
	}

}
