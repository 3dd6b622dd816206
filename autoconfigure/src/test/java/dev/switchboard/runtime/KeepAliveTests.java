package dev.switchboard.runtime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.RawWebSocket.RawFrame;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pings with the default idle timeout, 0, which keeps a client that answers pings however
 * long it sends no message.
 */
@TestPropertySource(properties = { "switchboard.ping-interval=100ms", "switchboard.pong-timeout=300ms" })
class KeepAliveTests extends SocketTestSupport {

	@Test
	void closesAndDeregistersAClientThatNeverAnswersPings() {
		try (RawWebSocket client = raw("/ws/greeting?user=silent"); WsClient bystander = connect("/ws/routing")) {
			List<RawFrame> pings = new ArrayList<>();
			String id = greeting(client, pings::add);
			RawFrame close = client.readFrame();
			while (close.opcode() == RawWebSocket.PING) {
				pings.add(close);
				close = client.readFrame();
			}
			assertThat(pings).isNotEmpty();
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
			greeting(client, (ping) -> client.sendFrame(true, 0, RawWebSocket.PONG, ping.payload()));
			// At least 2s of pings without a message: longer than IdleTimeoutTests' idle
			// timeout, which the default does not apply.
			for (int pings = 0; pings < 20; pings++) {
				RawFrame ping = client.readFrame();
				assertThat(ping.opcode()).isEqualTo(RawWebSocket.PING);
				client.sendFrame(true, 0, RawWebSocket.PONG, ping.payload());
			}
			assertThat(client.readFrame().opcode()).isEqualTo(RawWebSocket.PING);
		}
	}

	// The hello of the greeting socket, with the pings that may come before it: the first
	// ping is due 100ms after the opening, which a slow @OnConnect may outlast.
	private static String greeting(RawWebSocket client, Consumer<RawFrame> pings) {
		RawFrame frame = client.readFrame();
		while (frame.opcode() == RawWebSocket.PING) {
			pings.accept(frame);
			frame = client.readFrame();
		}
		assertThat(frame.opcode()).isEqualTo(RawWebSocket.TEXT);
		return new String(frame.payload(), StandardCharsets.UTF_8).substring("hello ".length());
	}

}
