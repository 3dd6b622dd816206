package dev.switchboard.runtime;

import java.nio.charset.StandardCharsets;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.SendResult;
import dev.switchboard.test.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the drop policy, what does not fit is dropped and counted, and the rest arrives.
 */
@TestPropertySource(properties = { "switchboard.outbound.buffer-size=64KB", "switchboard.outbound.overflow=drop" })
class OutboundOverflowDropTests extends SocketTestSupport {

	@Autowired
	MeterRegistry meters;

	@Test
	void dropsAndCountsWhatDoesNotFitAndDeliversEverythingElse() {
		try (RawWebSocket slow = raw("/ws/greeting")) {
			String id = greetingId(slow);
			int accepted = 0;
			int dropped = 0;
			while (dropped < 5) {
				SendResult result = this.switchboard.toConnection(id).send(chunk()).block();
				accepted += result.reached();
				dropped += result.dropped();
				assertThat(result.notConnected()).isFalse();
				assertThat(accepted + dropped).isLessThan(10_000);
			}
			assertThat(this.meters.get("switchboard.messages.dropped")
				.tags("socket", "greeting", "reason", "buffer-full")
				.counter()
				.count()).isGreaterThanOrEqualTo(5);
			assertThat(
					this.meters.get("switchboard.sends").tags("kind", "message", "result", "dropped").counter().count())
				.isGreaterThanOrEqualTo(5);
			for (int i = 0; i < accepted; i++) {
				assertThat(slow.readFrame().payload()).hasSize(chunk().length);
			}
			this.switchboard.toConnection(id).send("after the flood").block();
			assertThat(new String(slow.readFrame().payload(), StandardCharsets.UTF_8)).isEqualTo("after the flood");
		}
	}

	@Test
	void failsAConnectionSendAndDropsAReplyThatDoNotFit() {
		try (RawWebSocket slow = raw("/ws/chat")) {
			String id = new String(slow.readFrame().payload(), StandardCharsets.UTF_8)
				.replaceAll(".*\"connectionId\":\"([^\"]+)\".*", "$1");
			slow.sendText("{\"type\":\"flood\"}");
			String outcome = this.events.await(String.class, (event) -> event.startsWith("flood sent "), 1).get(0);
			assertThat(outcome).endsWith(", then not connected true");
			int sent = Integer.parseInt(outcome.replaceAll("flood sent (\\d+),.*", "$1"));
			for (int i = 0; i < sent; i++) {
				assertThat(slow.readFrame().payload()).hasSize(32 * 1024);
			}
			this.switchboard.toConnection(id).send("after the flood").block();
			// The reply came after the last send that fit: had it been queued, it would
			// come first.
			assertThat(new String(slow.readFrame().payload(), StandardCharsets.UTF_8)).isEqualTo("after the flood");
		}
	}

}
