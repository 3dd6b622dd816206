package dev.switchboard.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.switchboard.test.Await;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection counters that docs/configuration.md lists under Metrics.
 */
class MetricsTests extends SocketTestSupport {

	@Autowired
	MeterRegistry meters;

	@Test
	void countsAConnectionOpenedThenClosedWithItsCloseCode() {
		double opened = count("switchboard.connections.opened", "socket", "routing");
		double closed = count("switchboard.connections.closed", "socket", "routing", "code", "4001");
		try (WsClient client = connect("/ws/routing")) {
			client.send("counted");
			assertThat(client.nextText()).isEqualTo("fallback:counted");
			assertThat(count("switchboard.connections.opened", "socket", "routing")).isEqualTo(opened + 1);
			assertThat(count("switchboard.connections.closed", "socket", "routing", "code", "4001")).isEqualTo(closed);
			client.close(4001);
			assertThat(client.awaitClose().getCode()).isEqualTo(4001);
		}
		Await.until(() -> count("switchboard.connections.closed", "socket", "routing", "code", "4001") == closed + 1);
		assertThat(count("switchboard.connections.opened", "socket", "routing")).isEqualTo(opened + 1);
	}

	private double count(String name, String... tags) {
		Counter counter = this.meters.find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
