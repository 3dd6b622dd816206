package dev.switchboard.runtime;

import java.util.List;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.reactive.socket.CloseStatus;
import tools.jackson.databind.JsonNode;

import dev.switchboard.fixtures.EventLog;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ErrorContractTests extends SocketTestSupport {

	@Autowired
	MeterRegistry meters;

	@Test
	void answersAFailingHandlerWithAGenericInternalErrorAndLogsTheDetails(CapturedOutput output) {
		try (WsClient client = connect("/ws/errors")) {
			client.send("{\"type\":\"fail\",\"id\":5}");
			JsonNode error = client.nextJson();
			assertThat(error.toString()).isEqualTo("{\"error\":\"internal error\",\"code\":\"internal\",\"id\":5}");
			client.send("{\"type\":\"whoami\"}");
			String id = client.nextText();
			assertThat(lines(output, "Handler method ErrorsSocket.fail() failed")).singleElement()
				.satisfies(
						(line) -> assertThat(line)
							.matches(
									"^.*ERROR .* dev\\.switchboard\\.runtime\\.Failures .*: "
											+ Pattern.quote("Handler method ErrorsSocket.fail() failed for connection "
													+ id + ", request " + id + ":1 (socket 'errors', user anonymous)")
											+ "$"));
			assertThat(output).contains("java.lang.IllegalStateException: database password is hunter2")
				.contains("\tat dev.switchboard.fixtures.ErrorsSocket.fail(");
			assertStillOpen(client);
		}
	}

	@Test
	void logsAFailureThatRepeatsOnlyOnceInAMinute(CapturedOutput output) {
		try (WsClient client = connect("/ws/errors")) {
			for (int i = 0; i < 3; i++) {
				client.send("{\"type\":\"fail-often\"}");
				assertThat(client.nextJson().get("code").asString()).isEqualTo("internal");
			}
			assertThat(lines(output, "Handler method ErrorsSocket.failOften() failed")).hasSize(1);
		}
	}

	@Test
	void answersAClientErrorExceptionWithItsCodeAndMessage() {
		try (WsClient client = connect("/ws/errors")) {
			client.send("{\"type\":\"forbidden\"}");
			assertThat(client.nextJson().toString())
				.isEqualTo("{\"error\":\"only admins may do that\",\"code\":\"forbidden\"}");
			assertStillOpen(client);
			assertThat(this.meters.get("switchboard.connections").tag("socket", "errors").gauge().value())
				.isGreaterThanOrEqualTo(1);
		}
		assertThat(
				this.meters.get("switchboard.errors").tags("socket", "errors", "code", "forbidden").counter().count())
			.isPositive();
	}

	@Test
	void answersAPayloadThatDoesNotBindWithBadRequestNamingTheField() {
		try (WsClient client = connect("/ws/errors")) {
			client.send("{\"type\":\"validate\",\"text\":\"hi\",\"priority\":\"high\",\"id\":1}");
			JsonNode error = client.nextJson();
			assertThat(error.get("code").asString()).isEqualTo("bad-request");
			assertThat(error.get("error").asString()).isEqualTo("invalid value for field 'priority'");
			assertThat(error.get("id").asInt()).isEqualTo(1);
			assertStillOpen(client);
		}
	}

	@Test
	void answersAPayloadThatFailsValidationWithBadRequestListingTheViolations() {
		try (WsClient client = connect("/ws/errors")) {
			client.send("{\"type\":\"validate\",\"text\":\" \",\"priority\":-1}");
			JsonNode error = client.nextJson();
			assertThat(error.get("code").asString()).isEqualTo("bad-request");
			assertThat(error.get("error").asString()).isIn("text: must not be blank; priority: must be greater than 0",
					"priority: must be greater than 0; text: must not be blank");
			client.send("{\"type\":\"validate\",\"text\":\"ok\",\"priority\":1}");
			assertThat(client.nextText()).isEqualTo("valid:ok");
		}
	}

	@Test
	void validatesOnlyTheGroupsThatValidatedNames() {
		try (WsClient client = connect("/ws/errors")) {
			client.send("{\"type\":\"grouped\",\"tag\":\"\",\"name\":\"\"}");
			assertThat(client.nextJson().get("error").asString()).isEqualTo("tag: must not be blank");
			client.send("{\"type\":\"grouped\",\"tag\":\"x\",\"name\":\"\"}");
			assertThat(client.nextText()).isEqualTo("valid");
		}
	}

	@Test
	void answersAHandlerThatOverrunsItsTimeoutWithTimeout() {
		try (WsClient client = connect("/ws/errors")) {
			client.send("{\"type\":\"quick-timeout\",\"id\":2}");
			JsonNode error = client.nextJson();
			assertThat(error.get("code").asString()).isEqualTo("timeout");
			assertThat(error.get("error").asString()).isEqualTo("handler did not complete within 200ms");
			assertThat(error.get("id").asInt()).isEqualTo(2);
			assertStillOpen(client);
		}
	}

	@Test
	void letsTheOnErrorMethodForTheMostSpecificExceptionAnswer() {
		try (WsClient client = connect("/ws/errors")) {
			client.send("{\"type\":\"specific\",\"id\":1}").send("{\"type\":\"general\"}");
			assertThat(client.nextJson().toString()).isEqualTo(
					"{\"type\":\"handled\",\"by\":\"IllegalArgumentException\",\"message\":\"specific\",\"id\":1}");
			assertThat(client.nextJson().get("by").asString()).isEqualTo("UnsupportedOperationException");
		}
	}

	@Test
	void answersAFailingOnErrorMethodWithAnInternalError(CapturedOutput output) {
		try (WsClient client = connect("/ws/errors")) {
			client.send("{\"type\":\"handler-fails\"}");
			assertThat(client.nextJson().get("code").asString()).isEqualTo("internal");
			// Only the @OnError method throws this, so the reply is for its failure.
			assertThat(output).contains("error handler failed");
			assertStillOpen(client);
		}
	}

	@Test
	void answersAnOnErrorMethodThatThrowsAClientErrorWithItsCode() {
		try (WsClient client = connect("/ws/errors")) {
			client.send("{\"type\":\"handler-refuses\",\"id\":6}");
			assertThat(client.nextJson().toString())
				.isEqualTo("{\"error\":\"the @OnError method refused\",\"code\":\"forbidden\",\"id\":6}");
			assertStillOpen(client);
		}
	}

	@Test
	void answersAMissingRequiredAttributeWithAnInternalError() {
		try (WsClient client = connect("/ws/errors")) {
			client.send("{\"type\":\"needs-attribute\",\"id\":3}");
			assertThat(client.nextJson().toString())
				.isEqualTo("{\"error\":\"internal error\",\"code\":\"internal\",\"id\":3}");
			assertStillOpen(client);
		}
	}

	@Test
	void closesTheConnectionWhenAHandlerRejectsIt() {
		try (WsClient client = connect("/ws/errors")) {
			client.send("{\"type\":\"kick\"}");
			assertThat(client.awaitClose().getCode()).isEqualTo(1008);
		}
	}

	@Test
	void closesWith1008AndTheReasonWhenOnConnectRejects() {
		try (WsClient client = connect("/ws/rejecting?mode=reject")) {
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("invitation required");
		}
	}

	@Test
	void closesWith1011AndNoDetailsWhenOnConnectFails(CapturedOutput output) {
		try (WsClient client = connect("/ws/rejecting?mode=fail")) {
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1011);
			assertThat(status.getReason()).isEqualTo("internal error");
			assertThat(output).contains("secret internals");
		}
	}

	@Test
	void closesWith1008AndItsMessageWhenOnConnectThrowsAClientError() {
		try (WsClient client = connect("/ws/rejecting?mode=client-error")) {
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("members only");
		}
	}

	@Test
	void closesWith1008WhenAnOnConnectParameterDoesNotConvert() {
		try (WsClient client = connect("/ws/rejecting?level=high")) {
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("invalid value for query parameter 'level'");
		}
	}

	@Test
	void closesWith1008WhenOnConnectOverrunsItsTimeout() {
		try (WsClient client = connect("/ws/stalling")) {
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("handler did not complete within 300ms");
		}
	}

	@Test
	void neverCallsOnDisconnectForAConnectionOnConnectRejected() {
		try (WsClient client = connect("/ws/rejecting?mode=reject&user=never-disconnected")) {
			assertThat(client.awaitClose().getCode()).isEqualTo(1008);
		}
		String id = interceptedConnection("never-disconnected");
		this.events.await(String.class, ("interceptor disconnected " + id)::equals, 1);
		// A connection opened and closed after it has had its @OnDisconnect called: the
		// rejected one would have had its own called by then.
		try (WsClient client = connect("/ws/rejecting?user=disconnected-later")) {
			client.send("hi");
			assertThat(client.nextText()).isEqualTo("hi");
		}
		this.events.disconnected(interceptedConnection("disconnected-later"));
		assertThat(this.events.events(EventLog.Disconnected.class, (event) -> event.connectionId().equals(id)))
			.isEmpty();
	}

	@Test
	void closesWithTheRejectionsOwnStatusWhenAHandlerRejectsWithoutCallingOnError() {
		try (WsClient client = connect("/ws/rejecting")) {
			client.send("{\"type\":\"ban\"}");
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(4003);
			assertThat(status.getReason()).isEqualTo("banned");
		}
		assertThat(this.events.events(String.class, (event) -> event.startsWith("rejecting on-error "))).isEmpty();
	}

	@Test
	void closesWithTheRejectionsOwnStatusWhenAnOnErrorMethodRejects() {
		try (WsClient client = connect("/ws/rejecting")) {
			client.send("{\"type\":\"ban-on-error\"}");
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(4003);
			assertThat(status.getReason()).isEqualTo("banned by its @OnError method");
		}
	}

	@Test
	void closesWith1008AndTheReasonWhenAnInterceptorsOnConnectRejects() {
		try (WsClient client = connect("/ws/rejecting?guard=reject")) {
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("turned away by the guard");
		}
	}

	@Test
	void closesWith1008WhenAnInterceptorsOnConnectSignalsAClientError() {
		try (WsClient client = connect("/ws/rejecting?guard=client-error")) {
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("not on the guest list");
		}
	}

	@Test
	void closesWith1011WhenAnInterceptorsOnConnectFails(CapturedOutput output) {
		try (WsClient client = connect("/ws/rejecting?guard=fail")) {
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1011);
			assertThat(status.getReason()).isEqualTo("internal error");
		}
		assertThat(output).contains("java.lang.UnsupportedOperationException: guard internals");
	}

	@Test
	void closesWithTheRejectionsOwnStatusWhenAnInterceptorsOnMessageRejects() {
		try (WsClient client = connect("/ws/rejecting")) {
			client.send("guard-ban");
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(4003);
			assertThat(status.getReason()).isEqualTo("banned by the guard");
		}
	}

	@Test
	void closesWith1011WhenAnInterceptorsOnMessageFails() {
		try (WsClient client = connect("/ws/rejecting")) {
			client.send("guard-fail");
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1011);
			assertThat(status.getReason()).isEqualTo("internal error");
		}
	}

	private String interceptedConnection(String user) {
		String prefix = "rejecting connection of " + user + " ";
		return this.events.await(String.class, (event) -> event.startsWith(prefix), 1)
			.get(0)
			.substring(prefix.length());
	}

	private static List<String> lines(CapturedOutput output, String text) {
		return output.getAll().lines().filter((line) -> line.contains(text)).toList();
	}

	private static void assertStillOpen(WsClient client) {
		client.send("{\"type\":\"echo\"}");
		assertThat(client.nextText()).isEqualTo("still open");
	}

}
