package dev.switchboard.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.switchboard.test.Await;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The observation of handler methods, as Boot's actuator turns it into the
 * {@code switchboard.handler} timer, and as it is current while a method runs.
 */
class HandlerObservationTests extends SocketTestSupport {

	@Autowired
	MeterRegistry meters;

	@Test
	void timesEachRouteBySocketRouteAndException() {
		long greet = count("routing", "greet", "none");
		long a = count("routing", "a", "none");
		long fallback = count("routing", "default", "none");
		try (WsClient client = connect("/ws/routing")) {
			client.send("{\"type\":\"greet\",\"name\":\"ann\"}");
			client.send("{\"type\":\"a\"}");
			client.send("plain text");
			assertThat(client.next(3)).hasSize(3);
		}
		Await.until(() -> count("routing", "greet", "none") == greet + 1 && count("routing", "a", "none") == a + 1
				&& count("routing", "default", "none") == fallback + 1);
	}

	@Test
	void tagsTheExceptionOfAFailingHandler() {
		long failed = count("observed", "fail", "ObservedFailure");
		try (WsClient client = connect("/ws/observed")) {
			client.send("{\"type\":\"fail\"}");
			assertThat(client.nextJson().get("code").asString()).isEqualTo("internal");
		}
		Await.until(() -> count("observed", "fail", "ObservedFailure") == failed + 1);
	}

	@Test
	void tagsTheTimerWithTheClassOfWhatTheHandlerThrewAsItsError() {
		long failed = count("observed", "fail", "ObservedFailure", "ObservedFailure");
		long succeeded = count("observed", "blocking", "none", "none");
		try (WsClient client = connect("/ws/observed")) {
			client.send("{\"type\":\"fail\"}");
			assertThat(client.nextJson().get("code").asString()).isEqualTo("internal");
			client.send("{\"type\":\"blocking\"}");
			assertThat(client.nextText()).isEqualTo("observed blocking");
		}
		Await.until(() -> count("observed", "fail", "ObservedFailure", "ObservedFailure") == failed + 1
				&& count("observed", "blocking", "none", "none") == succeeded + 1);
		assertThat(this.meters.find("switchboard.handler").tags("socket", "observed", "route", "fail").timers())
			.allSatisfy((timer) -> assertThat(timer.getId().getTag("error")).isEqualTo("ObservedFailure"));
	}

	@Test
	void tagsAnUnknownTypeNotFoundWithoutASeriesPerType() {
		long notFound = count("strict", "not-found", "ClientErrorException");
		try (WsClient client = connect("/ws/strict")) {
			client.send("{\"type\":\"nope\"}");
			client.send("{\"type\":\"nope-again\"}");
			assertThat(client.next(2)).allSatisfy((frame) -> assertThat(frame.asText()).contains("not-found"));
		}
		Await.until(() -> count("strict", "not-found", "ClientErrorException") == notFound + 2);
		assertThat(this.meters.find("switchboard.handler").tag("route", "nope").timers()).isEmpty();
		assertThat(this.meters.find("switchboard.handler").tag("route", "nope-again").timers()).isEmpty();
	}

	@Test
	void timesTheConnectAndDisconnectMethods() {
		long connects = count("chat", "@connect", "none");
		long disconnects = count("chat", "@disconnect", "none");
		try (WsClient client = connect("/ws/chat")) {
			assertThat(client.nextJson().get("type").asString()).isEqualTo("hello");
			Await.until(() -> count("chat", "@connect", "none") == connects + 1);
		}
		Await.until(() -> count("chat", "@disconnect", "none") == disconnects + 1);
	}

	@Test
	void makesTheObservationCurrentWhileAPlainMethodRunsOnTheBoundedScheduler() {
		try (WsClient client = connect("/ws/observed")) {
			client.send("{\"type\":\"blocking\"}");
			assertThat(client.nextText()).isEqualTo("observed blocking");
		}
	}

	@Test
	void makesTheObservationCurrentInAReactiveMethodAndInTheContextOfWhatItReturns() {
		try (WsClient client = connect("/ws/observed")) {
			client.send("{\"type\":\"reactive\"}");
			assertThat(client.nextText()).isEqualTo("observed reactive / observed reactive");
		}
	}

	private long count(String socket, String route, String exception, String error) {
		Timer timer = this.meters.find("switchboard.handler")
			.tags("socket", socket, "route", route, "exception", exception, "error", error)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	private long count(String socket, String route, String exception) {
		Timer timer = this.meters.find("switchboard.handler")
			.tags("socket", socket, "route", route, "exception", exception)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

}
