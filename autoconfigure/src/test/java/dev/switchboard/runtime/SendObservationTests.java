package dev.switchboard.runtime;

import java.util.List;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.switchboard.CloseReason;
import dev.switchboard.SendResult;
import dev.switchboard.test.Await;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@code switchboard.send} timer that Boot's meter observation handler makes of the
 * observation of each send through the {@code Switchboard}, on one instance; a send
 * published to another instance is timed in {@code ObservationMetersTests}.
 */
class SendObservationTests extends SocketTestSupport {

	@Autowired
	MeterRegistry meters;

	@Test
	void timesEachSendByTargetOperationAndResultWithTheErrorOfOneThatFailed() {
		try (WsClient client = connect("/ws/greeting?user=sol")) {
			String id = client.nextText().substring("hello ".length());
			assertTimed("connection", "send", "reached", "none",
					() -> assertThat(this.switchboard.toConnection(id).send("one").block())
						.isEqualTo(new SendResult(1, 0)));
			assertTimed("user", "send", "reached", "none", () -> this.switchboard.toUser("sol").send("two").block());
			assertTimed("socket", "send", "reached", "none", () -> this.switchboard.broadcast("greeting", "3").block());
			assertThat(client.next(3)).hasSize(3);
			assertTimed("users", "send", "not-connected", "none",
					() -> this.switchboard.toUsers(List.of("nobody-1", "nobody-2")).send("none").block());
			assertTimed("room", "send", "not-connected", "none",
					() -> this.switchboard.toRoom("an-empty-room").send("none").block());
			assertTimed("connection", "close", "failed", "IllegalArgumentException",
					() -> assertThatIllegalArgumentException()
						.isThrownBy(() -> this.switchboard.toConnection(id).close(new CloseReason(1005)).block()));
			assertTimed("connection", "close", "reached", "none",
					() -> this.switchboard.toConnection(id).close(CloseReason.NORMAL).block());
			assertThat(client.awaitClose().getCode()).isEqualTo(1000);
		}
		LongTaskTimer active = this.meters.find("switchboard.send.active")
			.tags("target", "connection", "operation", "send")
			.longTaskTimer();
		assertThat(active).isNotNull();
		assertThat(active.activeTasks()).isZero();
	}

	private void assertTimed(String target, String operation, String result, String error, Runnable send) {
		String[] tags = { "target", target, "operation", operation, "result", result, "error", error };
		long before = count(tags);
		send.run();
		Await.until(() -> count(tags) == before + 1);
	}

	private long count(String... tags) {
		Timer timer = this.meters.find("switchboard.send").tags(tags).timer();
		return (timer != null) ? timer.count() : 0;
	}

}
