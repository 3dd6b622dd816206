package dev.switchboard.runtime;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingTests extends SocketTestSupport {

	@Test
	void routesJsonObjectsByTheirTypeField() {
		try (WsClient client = connect("/ws/routing")) {
			client.send("{\"type\":\"greet\",\"name\":\"Ada\"}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"type\":\"greeted\",\"text\":\"hello Ada\"}");
		}
	}

	@Test
	void sendsEveryTextToTheOnlyDefaultMethodAndAnswersWithTheRequestsId() {
		try (WsClient client = connect("/ws/default-only")) {
			client.send("{\"type\":\"anything\",\"id\":7}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"length\":26,\"id\":7}");
			client.send("{\"id\":\"x\",\"refuse\":true}");
			assertThat(client.nextJson().toString())
				.isEqualTo("{\"error\":\"refused\",\"code\":\"bad-request\",\"id\":\"x\"}");
			client.send("{\"id\":\"broken\"");
			assertThat(client.nextJson().toString()).isEqualTo("{\"length\":14}");
			client.send("plain text");
			assertThat(client.nextJson().toString()).isEqualTo("{\"length\":10}");
		}
	}

	@Test
	void echoesAStringNumberOrBooleanIdAndNoOtherKind() {
		try (WsClient client = connect("/ws/default-only")) {
			client.send("{\"id\":true}").send("{\"id\":2.5}").send("{\"id\":null}").send("{\"id\":{\"n\":1}}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"length\":11,\"id\":true}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"length\":10,\"id\":2.5}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"length\":11}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"length\":14}");
		}
	}

	@Test
	void routesSeveralTypesToOneMethod() {
		try (WsClient client = connect("/ws/routing")) {
			client.send("{\"type\":\"a\"}").send("{\"type\":\"b\"}");
			assertThat(client.nextJson().get("text").asString()).isEqualTo("a");
			assertThat(client.nextJson().get("text").asString()).isEqualTo("b");
		}
	}

	@Test
	void routesOverloadsWhoseParameterTypesShareASimpleName() {
		try (WsClient client = connect("/ws/routing")) {
			client.send("{\"type\":\"join-room\",\"room\":\"lobby\"}")
				.send("{\"type\":\"join-game\",\"game\":\"chess\"}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"type\":\"joined\",\"text\":\"room lobby\"}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"type\":\"joined\",\"text\":\"game chess\"}");
		}
	}

	@Test
	void sendsUnknownTypesAndUntypedObjectsToTheDefaultMethod() {
		try (WsClient client = connect("/ws/routing")) {
			client.send("{\"type\":\"unknown\"}").send("{\"text\":1}");
			assertThat(client.nextText()).isEqualTo("fallback:{\"type\":\"unknown\"}");
			assertThat(client.nextText()).isEqualTo("fallback:{\"text\":1}");
		}
	}

	@Test
	void sendsTextThatIsNotJsonToTheDefaultMethodThatTakesText() {
		try (WsClient client = connect("/ws/routing")) {
			client.send("just words").send("{not json").send("[1,2]").send("42");
			assertThat(client.nextText()).isEqualTo("fallback:just words");
			assertThat(client.nextText()).isEqualTo("fallback:{not json");
			assertThat(client.nextText()).isEqualTo("fallback:[1,2]");
			assertThat(client.nextText()).isEqualTo("fallback:42");
		}
	}

	@Test
	void echoesTheRequestIdOnReplies() {
		try (WsClient client = connect("/ws/routing")) {
			client.send("{\"type\":\"greet\",\"name\":\"Ada\",\"id\":42}");
			client.send("{\"id\":\"req-7\",\"type\":\"greet\",\"name\":\"Bob\"}");
			assertThat(client.nextJson().get("id").asInt()).isEqualTo(42);
			assertThat(client.nextJson().get("id").asString()).isEqualTo("req-7");
		}
	}

	@Test
	void echoesABooleanIdAndIgnoresAnIdThatIsNotAScalar() {
		try (WsClient client = connect("/ws/routing")) {
			client.send("{\"type\":\"greet\",\"name\":\"Ada\",\"id\":true}");
			client.send("{\"type\":\"greet\",\"name\":\"Bob\",\"id\":{\"n\":1}}");
			client.send("{\"type\":\"greet\",\"name\":\"Cy\",\"id\":[1]}");
			client.send("{\"type\":\"greet\",\"name\":\"Di\",\"id\":null}");
			assertThat(client.nextJson().toString())
				.isEqualTo("{\"type\":\"greeted\",\"text\":\"hello Ada\",\"id\":true}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"type\":\"greeted\",\"text\":\"hello Bob\"}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"type\":\"greeted\",\"text\":\"hello Cy\"}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"type\":\"greeted\",\"text\":\"hello Di\"}");
		}
	}

	@Test
	void answersBinaryMessagesWithBadRequestWhenTheDefaultMethodTakesText() {
		try (WsClient client = connect("/ws/routing")) {
			client.sendBinary(new byte[] { 1, 2 });
			assertThat(client.nextJson().toString())
				.isEqualTo("{\"error\":\"binary messages are not accepted\",\"code\":\"bad-request\"}");
			client.send("still here");
			assertThat(client.nextText()).isEqualTo("fallback:still here");
		}
	}

	@Test
	void answersWhatTheDefaultMethodsPayloadCannotTakeWithBadRequest() {
		try (WsClient client = connect("/ws/typed-default")) {
			client.send("plain text").sendBinary(new byte[] { 1, 2 }).send("{\"text\":\"hi\",\"id\":1}");
			JsonNode text = client.nextJson();
			assertThat(text.get("code").asString()).isEqualTo("bad-request");
			assertThat(text.get("error").asString()).startsWith("malformed JSON:");
			assertThat(client.nextJson().toString())
				.isEqualTo("{\"error\":\"binary messages are not accepted\",\"code\":\"bad-request\"}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"text\":\"hi\",\"id\":1}");
		}
	}

	@Test
	void answersAnUnknownTypeWithNotFoundWhenThereIsNoDefaultMethod() {
		try (WsClient client = connect("/ws/strict")) {
			client.send("{\"type\":\"nope\",\"id\":3}");
			JsonNode error = client.nextJson();
			assertThat(error.get("code").asString()).isEqualTo("not-found");
			assertThat(error.get("error").asString()).isEqualTo("no handler for type 'nope'");
			assertThat(error.get("id").asInt()).isEqualTo(3);
		}
	}

	@Test
	void answersAnUntypedObjectWithNotFoundWhenThereIsNoDefaultMethod() {
		try (WsClient client = connect("/ws/strict")) {
			client.send("{\"name\":\"x\"}");
			JsonNode error = client.nextJson();
			assertThat(error.get("code").asString()).isEqualTo("not-found");
			assertThat(error.get("error").asString()).isEqualTo("no 'type' field");
		}
	}

	@Test
	void answersTextThatIsNotAnObjectWithBadRequestWhenThereIsNoDefaultMethod() {
		try (WsClient client = connect("/ws/strict")) {
			client.send("hello").send("[1,2]");
			assertThat(client.nextJson().get("code").asString()).isEqualTo("bad-request");
			assertThat(client.nextJson().get("code").asString()).isEqualTo("bad-request");
		}
	}

	@Test
	void answersMalformedJsonWithBadRequestNamingThePosition() {
		try (WsClient client = connect("/ws/strict")) {
			client.send("{\"type\":\"ping\",}");
			JsonNode error = client.nextJson();
			assertThat(error.get("code").asString()).isEqualTo("bad-request");
			assertThat(error.get("error").asString()).startsWith("malformed JSON:").contains("line 1, column");
		}
	}

	@Test
	void answersATypeThatIsNotAStringWithBadRequest() {
		try (WsClient client = connect("/ws/strict")) {
			client.send("{\"type\":5,\"id\":1}");
			JsonNode error = client.nextJson();
			assertThat(error.get("code").asString()).isEqualTo("bad-request");
			assertThat(error.get("error").asString()).isEqualTo("'type' must be a string");
			assertThat(error.get("id").asInt()).isEqualTo(1);
		}
	}

	@Test
	void answersBinaryMessagesWithBadRequestWhenNoMethodTakesThem() {
		try (WsClient client = connect("/ws/strict")) {
			client.sendBinary(new byte[] { 1, 2 });
			JsonNode error = client.nextJson();
			assertThat(error.get("code").asString()).isEqualTo("bad-request");
			assertThat(error.get("error").asString()).isEqualTo("binary messages are not accepted");
			client.send("{\"type\":\"ping\"}");
			assertThat(client.nextJson().get("type").asString()).isEqualTo("pong");
		}
	}

}
