package dev.switchboard.runtime;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.RawWebSocket.RawFrame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ping-interval: 0} never pings (docs/security.md, Idle and unresponsive clients):
 * a silent client sees nothing until the idle timeout closes it.
 */
@TestPropertySource(properties = { "switchboard.ping-interval=0", "switchboard.idle-timeout=1s" })
class NoPingTests extends SocketTestSupport {

	@Test
	void neverPingsWithAPingIntervalOfZero() {
		try (RawWebSocket client = raw("/ws/greeting")) {
			greetingId(client);
			RawFrame frame = client.readFrame();
			assertThat(frame.opcode()).as("a close, no ping before it").isEqualTo(RawWebSocket.CLOSE);
			assertThat(frame.closeReason()).isEqualTo("idle timeout");
		}
	}

}
