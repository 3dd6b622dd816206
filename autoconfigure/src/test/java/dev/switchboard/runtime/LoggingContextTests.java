package dev.switchboard.runtime;

import java.util.HashSet;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request id of each message, as a handler parameter and in the SLF4J MDC while the
 * handler runs, with the connection, socket and user (docs/operations.md, Logs).
 */
@ExtendWith(OutputCaptureExtension.class)
class LoggingContextTests extends SocketTestSupport {

	@Test
	void givesEachMessageARequestIdThatTheMdcHoldsWhileItsHandlerRuns() {
		try (WsClient client = connect("/ws/logging?user=ada")) {
			Set<String> ids = new HashSet<>();
			long sequence = 0;
			for (String type : new String[] { "plain", "reactive", "non-blocking", "plain" }) {
				client.send("{\"type\":\"" + type + "\"}");
				JsonNode context = client.nextJson();
				String requestId = context.get("requestId").asString();
				String connectionId = context.get("connectionId").asString();
				assertThat(context.get("mdcRequestId").asString()).as(type).isEqualTo(requestId);
				assertThat(requestId).as(type).startsWith(connectionId + ":");
				assertThat(context.get("mdcConnectionId").asString()).as(type).isEqualTo(connectionId);
				assertThat(context.get("mdcSocket").asString()).as(type).isEqualTo("logging");
				assertThat(context.get("mdcUser").asString()).as(type).isEqualTo("ada");
				assertThat(context.get("sequence").asLong()).as(type).isGreaterThan(sequence);
				sequence = context.get("sequence").asLong();
				ids.add(requestId);
			}
			assertThat(ids).as("a different id for each message").hasSize(4);
		}
	}

	@Test
	void setsTheMdcOnTheThreadEachKindOfMethodRunsOn() {
		try (WsClient client = connect("/ws/logging")) {
			client.send("{\"type\":\"plain\"}");
			JsonNode plain = client.nextJson();
			assertThat(plain.get("thread").asString()).startsWith("boundedElastic-");
			assertThat(plain.get("mdcRequestId").asString()).isEqualTo(plain.get("requestId").asString());
			client.send("{\"type\":\"non-blocking\"}");
			JsonNode nonBlocking = client.nextJson();
			assertThat(nonBlocking.get("thread").asString()).contains("-http-");
			assertThat(nonBlocking.get("mdcRequestId").asString()).isEqualTo(nonBlocking.get("requestId").asString());
			assertThat(nonBlocking.get("mdcUser").asString()).as("no user key for an anonymous connection")
				.isEqualTo("null");
		}
	}

	@Test
	void setsTheConnectionButNoRequestIdInTheMdcOfOnConnect() {
		try (WsClient client = connect("/ws/logging")) {
			client.send("{\"type\":\"plain\"}");
			String connectionId = client.nextJson().get("connectionId").asString();
			client.send("{\"type\":\"on-connect\"}");
			assertThat(client.nextText()).isEqualTo(connectionId + " null");
		}
	}

	@Test
	void setsTheMdcOnlyForTheCallOfAReactiveMethodNotForOperatorsOnOtherThreads() {
		try (WsClient client = connect("/ws/logging")) {
			client.send("{\"type\":\"reactive\"}");
			JsonNode reactive = client.nextJson();
			assertThat(reactive.get("thread").asString()).contains("-http-");
			assertThat(reactive.get("mdcRequestId").asString()).isEqualTo(reactive.get("requestId").asString());
			assertThat(reactive.get("mdcRequestIdOnAnotherThread").asString()).isEqualTo("null");
		}
	}

	@Test
	void givesAnOnErrorMethodTheRequestIdOfTheMessageThatFailed() {
		try (WsClient client = connect("/ws/logging")) {
			client.send("{\"type\":\"plain\"}");
			JsonNode first = client.nextJson();
			client.send("{\"type\":\"handled-failure\"}");
			JsonNode handled = client.nextJson();
			assertThat(handled.get("sequence").asLong()).isEqualTo(first.get("sequence").asLong() + 1);
			assertThat(handled.get("requestId").asString()).startsWith(first.get("connectionId").asString() + ":");
			assertThat(handled.get("mdcRequestId").asString()).isEqualTo(handled.get("requestId").asString());
		}
	}

	@Test
	void namesTheRequestInTheLogLineOfAnInternalError(CapturedOutput output) {
		try (WsClient client = connect("/ws/logging?user=grace")) {
			client.send("{\"type\":\"plain\"}");
			String connectionId = client.nextJson().get("connectionId").asString();
			client.send("{\"type\":\"logged-failure\",\"secret\":\"BODY-7f3a\"}");
			assertThat(client.nextJson().get("code").asString()).isEqualTo("internal");
			Awaitility.await()
				.atMost(WsClient.TIMEOUT)
				.untilAsserted(() -> assertThat(output)
					.contains("Handler method LoggingSocket.loggedFailure() failed for connection " + connectionId
							+ ", request " + connectionId + ":2 (socket 'logging', user grace)"));
			assertThat(output).doesNotContain("BODY-7f3a");
		}
	}

}
