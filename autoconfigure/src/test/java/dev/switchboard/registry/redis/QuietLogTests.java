package dev.switchboard.registry.redis;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.fixtures.ClusterTestApplication;
import dev.switchboard.test.AppInstance;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What clients do wrong, over and over, leaves the server's log quiet: no ERROR line and
 * no stack trace, in an application of its own process, with its own Redis. The clients
 * drop connections (FIN and reset) in a loop, stop answering pings, break the protocol in
 * every way the server detects, compressed frames included, send half a request or a
 * malformed one, never finish a handshake, ping without reading, stop reading, exceed the
 * message rate, keep a blocking handler past its timeout: not even a WARN line. Then,
 * with Redis down, a handler's sends fail for every message, which is logged once, at
 * WARN, without a stack trace.
 */
class QuietLogTests {

	private static final Pattern ERROR = Pattern.compile("^\\S+\\s+ERROR\\s");

	private static final Pattern WARN = Pattern.compile("^\\S+\\s+WARN\\s");

	private static final Pattern STACK_FRAME = Pattern.compile("^\\s+at |^Caused by: |^\\s+\\.\\.\\. \\d+ more");

	@Test
	@Timeout(120)
	void clientsThatMisbehaveCannotFloodTheLog() throws Exception {
		try (TestRedis redis = TestRedis.startNew()) {
			Map<String, String> properties = Instance.properties(redis, "quiet", "quiet");
			properties.put("switchboard.ping-interval", "300ms");
			properties.put("switchboard.pong-timeout", "300ms");
			properties.put("switchboard.handshake-timeout", "500ms");
			properties.put("switchboard.close-timeout", "500ms");
			properties.put("switchboard.outbound.buffer-size", "16KB");
			properties.put("switchboard.outbound.write-timeout", "500ms");
			properties.put("switchboard.limits.messages-per-second", "5");
			properties.put("switchboard.limits.message-burst", "5");
			properties.put("switchboard.compression", "true");
			try (AppInstance app = AppInstance.start(ClusterTestApplication.class, properties)) {
				int port = app.port();
				misbehave(port);
				int beforeOutage;
				try (WsClient chatter = WsClient.connect(app.wsUri("/ws/chat?user=chatter&room=lobby"))) {
					chatter.nextJson();
					beforeOutage = app.output().length();
					redis.stop();
					for (int i = 0; i < 100; i++) {
						chatter.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"lost " + i + "\"}");
						assertThat(chatter.nextJson().path("code").asText()).isIn("internal", "rate-limited");
					}
				}
				List<String> lines = app.output().lines().toList();
				assertThat(lines.stream().filter((line) -> ERROR.matcher(line).find())).as("ERROR lines in %s", app)
					.isEmpty();
				assertThat(lines.stream().filter((line) -> STACK_FRAME.matcher(line).find()))
					.as("stack trace lines in %s", app)
					.isEmpty();
				assertThat(app.output().substring(0, beforeOutage).lines().filter((line) -> WARN.matcher(line).find()))
					.as("WARN lines in %s before Redis stopped", app)
					.isEmpty();
				// Redis unreachable, the Redis client's failed reconnections, and the
				// handler's failed sends, once.
				assertThat(lines.stream().filter((line) -> WARN.matcher(line).find())).as("WARN lines in %s", app)
					.hasSizeLessThanOrEqualTo(4);
				assertThat(lines.stream()
					.filter((line) -> WARN.matcher(line).find() && line.contains("Handler method ChatSocket.say(")))
					.as("the failed sends' WARN line in %s", app)
					.isNotEmpty();
			}
		}
	}

	private static void misbehave(int port) throws IOException {
		for (int i = 0; i < 20; i++) {
			RawWebSocket.connect(port, "/ws/lifecycle").close();
			RawWebSocket.connect(port, "/ws/lifecycle").reset();
		}
		try (RawWebSocket silent = RawWebSocket.connect(port, "/ws/lifecycle")) {
			assertThat(silent.awaitCloseCode()).isEqualTo(1001);
		}
		byte[][] badFrames = { RawWebSocket.frame(true, 4, RawWebSocket.TEXT, new byte[] { 'x' }),
				RawWebSocket.frame(true, 0, 0x3, new byte[0]), RawWebSocket.frame(true, 0, 0xB, new byte[0]),
				RawWebSocket.frame(false, 0, RawWebSocket.PING, new byte[0]),
				RawWebSocket.frame(true, 0, RawWebSocket.PING, new byte[126]),
				RawWebSocket.frame(true, 0, RawWebSocket.CLOSE, new byte[] { 0x03, (byte) 0xED }),
				RawWebSocket.frame(true, 0, RawWebSocket.CLOSE, new byte[] { 0x13, (byte) 0x88 }),
				RawWebSocket.frame(true, 0, RawWebSocket.CONTINUATION, new byte[] { 'x' }),
				RawWebSocket.frame(true, 0, RawWebSocket.TEXT, new byte[] { 'a', (byte) 0xC3, (byte) 0x28 }),
				RawWebSocket.frame(true, 0, RawWebSocket.TEXT, new byte[65 * 1024]) };
		for (byte[] badFrame : badFrames) {
			try (RawWebSocket client = RawWebSocket.connect(port, "/ws/lifecycle")) {
				client.readFrame();
				client.send(badFrame);
				assertThat(client.awaitCloseCode()).isIn(1002, 1007, 1009);
			}
		}
		try (RawWebSocket compressed = RawWebSocket.connect(port, "/ws/lifecycle",
				Map.of("Sec-WebSocket-Extensions", "permessage-deflate"))) {
			compressed.readFrame();
			compressed.sendFrame(true, 4, RawWebSocket.TEXT, new byte[] { 0x02, 0x00 });
			assertThat(compressed.awaitCloseCode()).isEqualTo(1007);
		}
		sendAndClose(port, "GET /ws/lifecycle HTTP/1.1\r\nHost: localhost\r\nUpgr");
		sendAndClose(port, "POST /actuator/health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nabc");
		sendAndClose(port, "HELLO\r\n\r\n");
		try (Socket neverFinishes = new Socket("localhost", port)) {
			neverFinishes.setSoTimeout((int) WsClient.TIMEOUT.toMillis());
			assertThat(neverFinishes.getInputStream().read()).isEqualTo(-1);
		}
		try (RawWebSocket flooder = RawWebSocket.connect(port, "/ws/lifecycle")) {
			try {
				for (int i = 0; i < 1_000_000; i++) {
					flooder.sendFrame(true, 0, RawWebSocket.PING, new byte[125]);
				}
			}
			catch (AssertionError ex) {
				// Closed by the server for not reading.
			}
		}
		try (RawWebSocket client = RawWebSocket.connect(port, "/ws/lifecycle")) {
			client.readFrame();
			client.sendText("{\"type\":\"stall\",\"id\":1}");
			assertThat(new String(client.readFrame().payload(), StandardCharsets.UTF_8)).contains("timeout");
			for (int i = 0; i < 20; i++) {
				client.sendText("{\"id\":" + i + "}");
			}
			client.sendClose(1000, "");
			assertThat(client.awaitCloseCode()).isEqualTo(1000);
		}
		try (RawWebSocket refused = RawWebSocket.handshake(port, "/ws/lifecycle",
				Map.of("Origin", "https://evil.example"))) {
			assertThat(refused.responseHead()).startsWith("HTTP/1.1 403");
		}
	}

	private static void sendAndClose(int port, String text) throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			OutputStream out = socket.getOutputStream();
			out.write(text.getBytes(StandardCharsets.US_ASCII));
			out.flush();
		}
	}

}
