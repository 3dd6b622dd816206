package dev.switchboard.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.Await;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boot's {@code management.observations.enable.switchboard.handler=false} turns the
 * observation of handler methods off, and keeps that of sends (docs/operations.md, Meters
 * from observations).
 */
@TestPropertySource(properties = "management.observations.enable.switchboard.handler=false")
class HandlerObservationOffTests extends SocketTestSupport {

	@Autowired
	MeterRegistry meters;

	@Test
	void leavesOutTheHandlerObservationAndKeepsThatOfSends() {
		long sends = sends();
		try (WsClient routed = connect("/ws/routing");
				WsClient ivy = connect("/ws/chat?user=ivy&room=off");
				WsClient jon = connect("/ws/chat?user=jon&room=off")) {
			routed.send("{\"type\":\"greet\",\"name\":\"ann\"}");
			routed.send("plain text");
			assertThat(routed.next(2)).hasSize(2);
			ivy.nextJson();
			jon.nextJson();
			ivy.send("{\"type\":\"say\",\"room\":\"off\",\"text\":\"still sent\"}");
			assertThat(jon.nextJson().get("text").asString()).isEqualTo("still sent");
		}
		Await.until(() -> sends() == sends + 1);
		assertThat(this.meters.find("switchboard.handler").meters()).isEmpty();
		assertThat(this.meters.find("switchboard.handler.active").meters()).isEmpty();
	}

	private long sends() {
		Timer timer = this.meters.find("switchboard.send")
			.tags("target", "room", "operation", "send", "result", "reached", "error", "none")
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

}
