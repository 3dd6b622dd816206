package dev.switchboard.sockets;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.RawWebSocket.RawFrame;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

@TestPropertySource(properties = { "switchboard.ping-interval=100ms", "switchboard.pong-timeout=300ms",
		"switchboard.idle-timeout=1500ms" })
class KeepAliveTests extends SocketTestSupport {

	@Test
	void closesAndDeregistersAClientThatNeverAnswersPings() {
		try (RawWebSocket client = raw("/ws/greeting?user=silent"); WsClient bystander = connect("/ws/routing")) {
			String id = greetingId(client);
			assertThat(client.readFrame().opcode()).isEqualTo(RawWebSocket.PING);
			RawFrame close = client.readFrame();
			assertThat(close.closeCode()).isEqualTo(1001);
			assertThat(close.closeReason()).isEqualTo("ping timeout");
			assertThat(client.readFrame()).isNull();
			assertThat(this.events.disconnected(id).status().getCode()).isEqualTo(1001);
			assertThat(this.events.presenceOf("silent", 2)).containsExactly("online", "offline");
			bystander.send("alive");
			assertThat(bystander.nextText()).isEqualTo("fallback:alive");
		}
	}

	@Test
	void keepsAClientThatAnswersPings() {
		try (RawWebSocket client = raw("/ws/greeting")) {
			greetingId(client);
			for (int pings = 0; pings < 5; pings++) {
				RawFrame ping = client.readFrame();
				assertThat(ping.opcode()).isEqualTo(RawWebSocket.PING);
				client.sendFrame(true, 0, RawWebSocket.PONG, ping.payload());
			}
			assertThat(client.readFrame().opcode()).isEqualTo(RawWebSocket.PING);
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
