package dev.switchboard.runtime;

import java.nio.charset.StandardCharsets;

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
