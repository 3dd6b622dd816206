package dev.switchboard.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.SendResult;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that stops reading fills its outbound buffer; by default the server closes it
 * rather than buffer without bound, and nobody else is held up.
 */
@TestPropertySource(properties = { "switchboard.outbound.buffer-size=64KB", "switchboard.close-timeout=1s" })
class OutboundOverflowCloseTests extends SocketTestSupport {

	@Autowired
	MeterRegistry meters;

	@Test
	void closesTheConnectionWith1013AndLeavesOthersAlone() {
		double slowClosed = count("switchboard.connections.slow", "socket", "greeting", "reason", "buffer-full");
		double full = count("switchboard.messages.dropped", "socket", "greeting", "reason", "buffer-full");
		double closed = count("switchboard.messages.dropped", "socket", "greeting", "reason", "closed");
		try (RawWebSocket slow = raw("/ws/greeting"); WsClient bystander = connect("/ws/greeting")) {
			String id = greetingId(slow);
			bystander.next();
			int sends = 0;
			while (this.switchboard.toConnection(id).send(chunk()).block().reached() == 1) {
				assertThat(++sends).as("sends before the buffer filled").isLessThan(10_000);
			}
			assertThat(this.switchboard.toConnection(id).send(chunk()).block()).isEqualTo(new SendResult(0, 0, 1));
			assertThat(this.events.disconnected(id).status()).isEqualTo(new CloseStatus(1013, "outbound buffer full"));
			assertThat(count("switchboard.connections.slow", "socket", "greeting", "reason", "buffer-full"))
				.isEqualTo(slowClosed + 1);
			assertThat(count("switchboard.messages.dropped", "socket", "greeting", "reason", "buffer-full"))
				.isEqualTo(full + 1);
			// The send after the close, and whatever waited in the buffer when it closed.
			assertThat(count("switchboard.messages.dropped", "socket", "greeting", "reason", "closed"))
				.isGreaterThanOrEqualTo(closed + 1);
			this.switchboard.broadcast("greeting", "still served").block();
			assertThat(bystander.nextText()).isEqualTo("still served");
		}
	}

	private double count(String name, String... tags) {
		Counter counter = this.meters.find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
