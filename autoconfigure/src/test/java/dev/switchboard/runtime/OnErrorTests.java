package dev.switchboard.runtime;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an {@code @OnError} method receives, and what it does not, against a socket whose
 * {@code @OnError} methods cover every {@code RuntimeException}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OnErrorTests extends SocketTestSupport {

	@Test
	void letsTheMethodForTheMostSpecificExceptionTypeAnswer() {
		try (WsClient client = connect("/ws/on-error")) {
			client.send("{\"type\":\"illegal-argument\",\"id\":1}").send("{\"type\":\"illegal-state\",\"id\":2}");
			JsonNode specific = client.nextJson();
			assertThat(specific.get("by").asString()).isEqualTo("specific");
			assertThat(specific.get("id").asInt()).isEqualTo(1);
			JsonNode general = client.nextJson();
			assertThat(general.get("by").asString()).isEqualTo("general");
			assertThat(general.get("exception").asString()).isEqualTo("IllegalStateException");
			assertThat(general.get("id").asInt()).isEqualTo(2);
		}
	}

	@Test
	void givesTheMethodTheMessageAndNullForAnExceptionParameterOfAnotherType() {
		try (WsClient client = connect("/ws/on-error")) {
			client.send("{\"type\":\"illegal-state\",\"id\":3}");
			JsonNode handled = client.nextJson();
			assertThat(handled.get("request").asString()).isEqualTo("{\"type\":\"illegal-state\",\"id\":3}");
			assertThat(handled.get("otherTypeNull").asBoolean()).isTrue();
		}
	}

	@Test
	void receivesErrorsSignalledByAMonoOrAFlux() {
		try (WsClient client = connect("/ws/on-error")) {
			client.send("{\"type\":\"signalled\"}");
			assertThat(client.nextJson().get("message").asString()).isEqualTo("signalled");
			client.send("{\"type\":\"streamed\"}");
			assertThat(client.nextText()).isEqualTo("first");
			assertThat(client.nextJson().get("message").asString()).isEqualTo("streamed");
		}
	}

	@Test
	void receivesBindingAndValidationFailuresTimeoutsAndRepliesThatCannotBeEncoded() {
		try (WsClient client = connect("/ws/on-error")) {
			client.send("{\"type\":\"bind\",\"priority\":\"high\"}");
			JsonNode binding = client.nextJson();
			assertThat(binding.get("exception").asString()).isEqualTo("ClientErrorException");
			assertThat(binding.get("message").asString()).isEqualTo("invalid value for field 'priority'");
			client.send("{\"type\":\"bind\",\"priority\":-1}");
			JsonNode validation = client.nextJson();
			assertThat(validation.get("exception").asString()).isEqualTo("ClientErrorException");
			assertThat(validation.get("message").asString()).isEqualTo("priority: must be greater than 0");
			client.send("{\"type\":\"slow\"}");
			JsonNode timeout = client.nextJson();
			assertThat(timeout.get("exception").asString()).isEqualTo("ClientErrorException");
			assertThat(timeout.get("message").asString()).isEqualTo("handler did not complete within 500ms");
			client.send("{\"type\":\"unencodable\"}");
			assertThat(client.nextJson().get("by").asString()).isEqualTo("general");
		}
	}

	@Test
	void boundsTheWaitForEachElementOfAFluxAndKeepsThoseAlreadySent() {
		try (WsClient client = connect("/ws/on-error")) {
			// Four elements 200 ms apart take longer than the socket's 500 ms in all.
			client.send("{\"type\":\"trickle\"}");
			for (int n = 0; n < 4; n++) {
				assertThat(client.nextText()).isEqualTo(Integer.toString(n));
			}
			JsonNode timeout = client.nextJson();
			assertThat(timeout.get("exception").asString()).isEqualTo("ClientErrorException");
			assertThat(timeout.get("message").asString()).isEqualTo("handler did not complete within 500ms");
		}
	}

	@Test
	void letsAMethodWithTimeoutZeroRunPastTheSocketsTimeout() {
		try (WsClient client = connect("/ws/on-error")) {
			client.send("{\"type\":\"unlimited\"}");
			assertThat(client.nextText()).isEqualTo("no limit");
		}
	}

	@Test
	void sendsNothingWhenTheMethodReturnsVoid() {
		try (WsClient client = connect("/ws/on-error")) {
			client.send("{\"type\":\"quiet\",\"id\":4}").send("{\"type\":\"echo\"}");
			assertThat(client.nextText()).isEqualTo("still open");
		}
	}

	@Test
	void answersAnOnErrorMethodThatOverrunsTheSocketsTimeoutWithTimeout() {
		try (WsClient client = connect("/ws/on-error")) {
			client.send("{\"type\":\"stuck\",\"id\":5}");
			assertThat(client.nextJson().toString())
				.isEqualTo("{\"error\":\"handler did not complete within 500ms\",\"code\":\"timeout\",\"id\":5}");
		}
	}

	@Test
	void doesNotReceiveRoutingErrors() {
		try (WsClient client = connect("/ws/on-error")) {
			client.send("{\"type\":\"nope\",\"id\":1}");
			assertThat(client.nextJson().toString())
				.isEqualTo("{\"error\":\"no handler for type 'nope'\",\"code\":\"not-found\",\"id\":1}");
			client.send("{\"type\":5,\"id\":2}");
			assertThat(client.nextJson().toString())
				.isEqualTo("{\"error\":\"'type' must be a string\",\"code\":\"bad-request\",\"id\":2}");
			client.sendBinary(new byte[] { 1 });
			assertThat(client.nextJson().toString())
				.isEqualTo("{\"error\":\"binary messages are not accepted\",\"code\":\"bad-request\"}");
			client.send("plain text");
			assertThat(client.nextJson().get("code").asString()).isEqualTo("bad-request");
			client.send("{\"type\":\"echo\"}");
			assertThat(client.nextText()).isEqualTo("still open");
		}
	}

	@Test
	void doesNotReceiveARejection() {
		try (WsClient client = connect("/ws/on-error")) {
			client.send("{\"type\":\"kick\"}");
			assertThat(client.awaitClose().getCode()).isEqualTo(1008);
		}
	}

	@Test
	void doesNotReceiveTheExceptionsOfOnConnectOrOnDisconnect(CapturedOutput output) {
		try (WsClient client = connect("/ws/on-error?fail=connect")) {
			assertThat(client.awaitClose().getCode()).isEqualTo(1011);
		}
		try (WsClient client = connect("/ws/on-error?fail=disconnect")) {
			client.send("{\"type\":\"echo\"}");
			assertThat(client.nextText()).isEqualTo("still open");
		}
		Awaitility.await()
			.atMost(WsClient.TIMEOUT)
			.untilAsserted(() -> assertThat(output).contains("@OnDisconnect failed on purpose"));
		assertThat(this.events.events(String.class, (event) -> event.contains("failed on purpose"))).isEmpty();
	}

}
