package dev.switchboard.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import dev.switchboard.fixtures.EventLog;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class ArgumentsTests extends SocketTestSupport {

	private static final String PATH = "/ws/rooms/lobby/arguments?n=7&user=alice";

	@Autowired
	SwitchboardServer server;

	private WsClient connectWithHeader() {
		return WsClient.connect(uri(PATH), (headers) -> headers.set("X-Client", "tests"), "v1");
	}

	@Test
	void resolvesPathQueryHeaderAndPrincipalParametersOnConnect() {
		try (WsClient client = connectWithHeader()) {
			JsonNode welcome = client.nextJson();
			assertThat(welcome.get("room").asString()).isEqualTo("lobby");
			assertThat(welcome.get("number").asInt()).isEqualTo(7);
			assertThat(welcome.get("missing").asString()).isEqualTo("fallback");
			assertThat(welcome.get("client").asString()).isEqualTo("tests");
			assertThat(welcome.get("principal").asString()).isEqualTo("alice");
		}
	}

	@Test
	void refusesANullAttributeValueAsAnyConcurrentMapDoes() {
		try (WsClient client = connectWithHeader()) {
			client.next();
			client.send("{\"type\":\"connection\"}");
			Map<String, Object> attributes = this.server.localConnection(client.nextJson().get("id").asString())
				.attributes();
			assertThatNullPointerException().isThrownBy(() -> attributes.put("nothing", null));
			assertThat(attributes).doesNotContainKey("nothing").containsEntry("visits", 1);
		}
	}

	@Test
	void exposesTheHandshakeOnTheConnection() {
		try (WsClient client = connectWithHeader()) {
			client.next();
			client.send("{\"type\":\"connection\"}");
			JsonNode details = client.nextJson();
			assertThat(details.get("id").asString()).startsWith(this.server.settings().instanceId() + ".");
			assertThat(details.get("socket").asString()).isEqualTo("arguments");
			assertThat(details.get("user").asString()).isEqualTo("alice");
			assertThat(details.get("header").asString()).isEqualTo("tests");
			assertThat(details.get("query").asString()).isEqualTo("7");
			assertThat(details.get("path").get("room").asString()).isEqualTo("lobby");
			assertThat(details.get("remote").asBoolean()).isTrue();
			assertThat(details.get("subprotocol").asString()).isEqualTo("v1");
			assertThat(details.get("uri").asString()).isEqualTo("/ws/rooms/lobby/arguments");
			assertThat(details.get("principal").asString()).isEqualTo("alice");
			assertThat(details.get("headersReadOnly").asBoolean()).isTrue();
			assertThat(details.get("queryReadOnly").asBoolean()).isTrue();
		}
	}

	@Test
	void negotiatesTheSubprotocolInTheSocketsOrderOfPreference() {
		try (WsClient client = WsClient.connect(uri(PATH), (headers) -> {
		}, "v1", "v2")) {
			assertThat(client.subprotocol()).isEqualTo("v2");
		}
	}

	@Test
	void bindsTheWholeTextToAStringPayload() {
		try (WsClient client = connectWithHeader()) {
			client.next();
			client.send("{\"type\":\"string\",\"x\":1}");
			assertThat(client.nextText()).isEqualTo("string:{\"type\":\"string\",\"x\":1}");
		}
	}

	@Test
	void bindsTheBytesToByteArrayAndByteBufferPayloads() {
		try (WsClient client = connectWithHeader()) {
			client.next();
			client.send("{\"type\":\"bytes\"}").send("{\"type\":\"buffer\"}");
			assertThat(client.nextText()).isEqualTo("bytes:16");
			assertThat(client.nextText()).isEqualTo("buffer:17:true");
		}
	}

	@Test
	void bindsJsonTreeAndRecordPayloads() {
		try (WsClient client = connectWithHeader()) {
			client.next();
			client.send("{\"type\":\"tree\",\"value\":9}");
			client.send("{\"type\":\"record\",\"item\":\"tea\",\"quantity\":2}");
			client.send("{\"type\":\"list\",\"items\":[{\"name\":\"a\"},{\"name\":\"b\"}]}");
			assertThat(client.nextText()).isEqualTo("tree:9");
			assertThat(client.nextJson().toString()).isEqualTo("{\"type\":\"record\",\"item\":\"tea\",\"quantity\":2}");
			assertThat(client.nextText()).isEqualTo("list:2:b");
		}
	}

	@Test
	void resolvesConnectionAttributesAndTheRawMessage() {
		try (WsClient client = connectWithHeader()) {
			client.next();
			client.send("{\"type\":\"attribute\"}").send("{\"type\":\"raw\"}");
			assertThat(client.nextText()).isEqualTo("attribute:1:null");
			assertThat(client.nextText()).isEqualTo("raw:true:14");
		}
	}

	@Test
	void usesTheApplicationsArgumentResolvers() {
		try (WsClient client = connectWithHeader()) {
			client.next();
			client.send("{\"type\":\"custom\"}");
			assertThat(client.nextText()).isEqualTo("HELLO ALICE");
		}
	}

	@Test
	void givesAnAnonymousConnectionNoPrincipal() {
		try (WsClient client = WsClient.connect(uri("/ws/rooms/r/arguments"), (headers) -> {
		}, "v1")) {
			assertThat(client.nextJson().get("principal").isNull()).isTrue();
			client.send("{\"type\":\"principal\"}");
			assertThat(client.nextText()).isEqualTo("principal:none");
		}
	}

	@Test
	void givesOnDisconnectTheClientsCloseStatus() {
		WsClient client = connectWithHeader();
		client.next();
		client.send("{\"type\":\"connection\"}");
		String id = client.nextJson().get("id").asString();
		client.close(4001);
		assertThat(client.awaitClose().getCode()).isEqualTo(4001);
		EventLog.Disconnected disconnected = this.events.disconnected(id);
		assertThat(disconnected.status().getCode()).isEqualTo(4001);
		assertThat(disconnected.status().getReason()).isEqualTo("bye");
	}

	@Test
	void sendsBinaryFramesToADefaultMethodThatTakesBytesAndAnswersInBinary() {
		try (WsClient client = connect("/ws/binary")) {
			client.sendBinary(new byte[] { 1, 2, 3 });
			WsClient.Frame frame = client.next();
			assertThat(frame.text()).isFalse();
			assertThat(frame.payload()).containsExactly(3, 2, 1);
			client.send("ab");
			assertThat(new String(client.next().payload(), StandardCharsets.UTF_8)).isEqualTo("ba");
		}
	}

}
