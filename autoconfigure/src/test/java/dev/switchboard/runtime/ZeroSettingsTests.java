package dev.switchboard.runtime;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.RawWebSocket.RawFrame;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code 0} turns a limit or the pings off, rather than allowing nothing or pinging at
 * once (docs/configuration.md).
 */
@TestPropertySource(properties = { "switchboard.limits.connections-per-user=0",
		"switchboard.limits.connections-per-instance=0", "switchboard.limits.messages-per-second=0",
		"switchboard.ping-interval=0", "switchboard.idle-timeout=2s" })
class ZeroSettingsTests extends SocketTestSupport {

	@Test
	void acceptsMoreConnectionsForAUserThanTheDefaultLimit() {
		List<WsClient> devices = new ArrayList<>();
		try {
			for (int i = 0; i < 17; i++) {
				WsClient device = connect("/ws/greeting?user=unlimited");
				assertThat(device.nextText()).startsWith("hello ");
				devices.add(device);
			}
		}
		finally {
			devices.forEach(WsClient::close);
		}
	}

	@Test
	void handlesAFloodOverTheDefaultBurstWithoutRateLimiting() {
		try (WsClient flooder = connect("/ws/routing")) {
			for (int i = 0; i < 300; i++) {
				flooder.send("{\"id\":" + i + "}");
			}
			assertThat(flooder.next(300)).allMatch((frame) -> frame.asText().startsWith("fallback:"));
		}
	}

	@Test
	void neverPingsAQuietClient() {
		// The idle timeout ends the silence: the first frame after the hello is its
		// close.
		try (RawWebSocket client = raw("/ws/greeting")) {
			greetingId(client);
			RawFrame next = client.readFrame();
			assertThat(next.opcode()).isEqualTo(RawWebSocket.CLOSE);
			assertThat(next.closeReason()).isEqualTo("idle timeout");
		}
	}

}
