package dev.switchboard.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.RawWebSocket.RawFrame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An idle timeout closes a client that sends no message, even one that answers pings.
 */
@TestPropertySource(properties = { "switchboard.ping-interval=100ms", "switchboard.pong-timeout=300ms",
		"switchboard.idle-timeout=1500ms" })
class IdleTimeoutTests extends SocketTestSupport {

	@Test
	void countsEachFragmentOfAMessageAsActivity() {
		try (RawWebSocket client = raw("/ws/routing")) {
			long started = System.nanoTime();
			client.sendFrame(false, 0, RawWebSocket.TEXT, "a".getBytes(StandardCharsets.UTF_8));
			// The server's pings, about 100ms apart, pace the fragments: one every 5
			// pings,
			// for twice the idle timeout.
			int fragments = 1;
			while (Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofMillis(3000)) < 0) {
				RawFrame ping = client.readFrame();
				assertThat(ping.opcode()).as("a ping, not a close").isEqualTo(RawWebSocket.PING);
				client.sendFrame(true, 0, RawWebSocket.PONG, ping.payload());
				if (++fragments % 5 == 0) {
					client.sendFrame(false, 0, RawWebSocket.CONTINUATION, "a".getBytes(StandardCharsets.UTF_8));
				}
			}
			client.sendFrame(true, 0, RawWebSocket.CONTINUATION, "!".getBytes(StandardCharsets.UTF_8));
			RawFrame reply = client.readFrame();
			while (reply.opcode() == RawWebSocket.PING) {
				reply = client.readFrame();
			}
			assertThat(new String(reply.payload(), StandardCharsets.UTF_8)).startsWith("fallback:aa").endsWith("!");
		}
	}

	@Test
	void closesAClientThatSendsNoMessageWithinTheIdleTimeout() {
		try (RawWebSocket client = raw("/ws/greeting")) {
			String id = greetingId(client);
			RawFrame frame = client.readFrame();
			while (frame.opcode() == RawWebSocket.PING) {
				client.sendFrame(true, 0, RawWebSocket.PONG, frame.payload());
				frame = client.readFrame();
			}
			assertThat(frame.closeCode()).isEqualTo(1001);
			assertThat(frame.closeReason()).isEqualTo("idle timeout");
			client.sendFrame(true, 0, RawWebSocket.CLOSE, new byte[] { 0x03, (byte) 0xE9 });
			assertThat(this.events.disconnected(id).status().getReason()).isEqualTo("idle timeout");
			assertThat(new String(frame.payload(), 2, frame.payload().length - 2, StandardCharsets.UTF_8))
				.isEqualTo("idle timeout");
		}
	}

}
