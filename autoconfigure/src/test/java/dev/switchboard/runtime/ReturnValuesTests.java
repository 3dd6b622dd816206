package dev.switchboard.runtime;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

class ReturnValuesTests extends SocketTestSupport {

	@Test
	void sendsNothingForVoidAndMonoVoid() {
		try (WsClient client = connect("/ws/returns")) {
			client.send("{\"type\":\"void\"}").send("{\"type\":\"mono-void\"}").send("{\"type\":\"string\"}");
			assertThat(client.nextText()).isEqualTo("sent by void");
			assertThat(client.nextText()).isEqualTo("sent by mono-void");
			assertThat(client.nextText()).isEqualTo("plain text");
		}
	}

	@Test
	void sendsAnObjectAsJsonWithTheRequestId() {
		try (WsClient client = connect("/ws/returns")) {
			client.send("{\"type\":\"object\",\"id\":1}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"type\":\"object\",\"n\":1,\"id\":1}");
		}
	}

	@Test
	void sendsAStringAsATextFrameWithoutTheId() {
		try (WsClient client = connect("/ws/returns")) {
			client.send("{\"type\":\"string\",\"id\":1}");
			WsClient.Frame frame = client.next();
			assertThat(frame.text()).isTrue();
			assertThat(frame.asText()).isEqualTo("plain text");
		}
	}

	@Test
	void sendsBytesAsABinaryFrame() {
		try (WsClient client = connect("/ws/returns")) {
			client.send("{\"type\":\"bytes\"}");
			WsClient.Frame frame = client.next();
			assertThat(frame.text()).isFalse();
			assertThat(frame.payload()).containsExactly(1, 2, 3);
		}
	}

	@Test
	void sendsTheValueOfAMonoAndOfACompletableFuture() {
		try (WsClient client = connect("/ws/returns")) {
			client.send("{\"type\":\"mono\",\"id\":\"m\"}").send("{\"type\":\"future\"}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"type\":\"mono\",\"n\":2,\"id\":\"m\"}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"type\":\"future\",\"n\":4}");
		}
	}

	@Test
	void sendsEachElementOfAFluxWithTheRequestId() {
		try (WsClient client = connect("/ws/returns")) {
			client.send("{\"type\":\"flux\",\"id\":9}");
			for (int n = 1; n <= 3; n++) {
				assertThat(client.nextJson().toString()).isEqualTo("{\"type\":\"flux\",\"n\":" + n + ",\"id\":9}");
			}
		}
	}

	@Test
	void keepsTheReplysOwnId() {
		try (WsClient client = connect("/ws/returns")) {
			client.send("{\"type\":\"own-id\",\"id\":9}");
			assertThat(client.nextJson().get("id").asString()).isEqualTo("mine");
		}
	}

	@Test
	void sendsNothingForNull() {
		try (WsClient client = connect("/ws/returns")) {
			client.send("{\"type\":\"null\"}").send("{\"type\":\"string\"}");
			assertThat(client.nextText()).isEqualTo("plain text");
		}
	}

	@Test
	void sendsWhatACompletionStageAndAPublisherGive() {
		try (WsClient client = connect("/ws/returns")) {
			client.send("{\"type\":\"stage\"}").send("{\"type\":\"publisher\"}");
			assertThat(client.nextText()).isEqualTo("from a stage");
			assertThat(client.nextText()).isEqualTo("published 1");
			assertThat(client.nextText()).isEqualTo("published 2");
		}
	}

	@Test
	void sendsTheSendResultOfAReturnedSendAsAReply() {
		try (WsClient client = connect("/ws/returns")) {
			client.send("{\"type\":\"send-result\",\"id\":9}");
			assertThat(client.nextText()).isEqualTo("to myself");
			JsonNode result = client.nextJson();
			assertThat(result.get("reached").asInt()).isEqualTo(1);
			assertThat(result.get("id").asInt()).isEqualTo(9);
		}
	}

}
