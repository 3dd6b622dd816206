package dev.switchboard.runtime;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.reactive.socket.CloseStatus;
import tools.jackson.databind.JsonNode;

import dev.switchboard.fixtures.EventLog.Connecting;
import dev.switchboard.fixtures.EventLog.Disconnected;
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
			assertThat(output).contains("database password is hunter2").contains("ErrorsSocket.fail()");
			assertStillOpen(client);
		}
	}

	@Test
	void answersAClientErrorExceptionWithItsCodeAndMessage() {
		try (WsClient client = connect("/ws/errors")) {
			client.send("{\"type\":\"forbidden\"}");
			assertThat(client.nextJson().toString())
				.isEqualTo("{\"error\":\"only admins may do that\",\"code\":\"forbidden\"}");
			assertStillOpen(client);
			assertThat(this.meters.get("switchboard.connections").gauge().value()).isGreaterThanOrEqualTo(1);
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
	void closesWith1008AndTheMessageWhenOnConnectFailsWithAClientError() {
		try (WsClient client = connect("/ws/rejecting?mode=client-error")) {
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("not on the list");
		}
		try (WsClient client = connect("/ws/rejecting?level=high")) {
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("invalid value for query parameter 'level'");
		}
	}

	@Test
	void closesWith1008WhenOnConnectOverrunsItsTimeout() {
		try (WsClient client = connect("/ws/rejecting?mode=slow")) {
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("handler did not complete within 500ms");
		}
	}

	@Test
	void doesNotCallOnDisconnectForAConnectionThatOnConnectRefused() {
		// Not "fail": its log line is throttled for a minute, and another test reads it.
		for (String mode : new String[] { "reject", "client-error", "slow" }) {
			try (WsClient client = connect("/ws/rejecting?mode=" + mode)) {
				client.awaitClose();
			}
		}
		List<String> refused = this.events
			.events(Connecting.class,
					(connecting) -> connecting.socket().equals("rejecting") && connecting.mode() != null
							&& List.of("reject", "client-error", "slow").contains(connecting.mode()))
			.stream()
			.map(Connecting::connectionId)
			.toList();
		// A connection opened and closed after them: its @OnDisconnect has run once
		// theirs
		// would have.
		String witness;
		try (WsClient client = connect("/ws/rejecting?mode=witness")) {
			client.send("hello");
			assertThat(client.nextText()).isEqualTo("hello");
			witness = this.events.await(Connecting.class, (connecting) -> "witness".equals(connecting.mode()), 1)
				.get(0)
				.connectionId();
		}
		this.events.disconnected(witness);
		assertThat(refused).hasSizeGreaterThanOrEqualTo(3);
		assertThat(
				this.events.events(Disconnected.class, (disconnected) -> refused.contains(disconnected.connectionId())))
			.isEmpty();
	}

	private static void assertStillOpen(WsClient client) {
		client.send("{\"type\":\"echo\"}");
		assertThat(client.nextText()).isEqualTo("still open");
	}

}
