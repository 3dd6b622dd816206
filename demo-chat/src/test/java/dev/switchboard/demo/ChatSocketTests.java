package dev.switchboard.demo;

import java.util.Arrays;
import java.util.Objects;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.web.reactive.socket.CloseStatus;
import tools.jackson.databind.JsonNode;

import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.InMemoryConnectionRegistry;
import dev.switchboard.registry.InMemoryMessageBus;
import dev.switchboard.registry.MessageBus;
import dev.switchboard.registry.redis.RedisConnectionRegistry;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatSocketTests {

	@LocalServerPort
	int port;

	@Autowired
	TokenService tokens;

	@Autowired
	ApplicationContext context;

	@Test
	void runsOnTheInMemoryDefaultWithoutRedis() {
		assertThat(this.context.getBean(ConnectionRegistry.class)).isInstanceOf(InMemoryConnectionRegistry.class);
		assertThat(this.context.getBean(MessageBus.class)).isInstanceOf(InMemoryMessageBus.class);
		assertThat(this.context.getBean(ChatHistory.class)).isInstanceOf(InMemoryChatHistory.class);
		assertThat(Arrays.stream(this.context.getBeanDefinitionNames())
			.map(this.context::getType)
			.filter(Objects::nonNull)
			.map(Class::getPackageName)).doesNotContain(RedisConnectionRegistry.class.getPackageName());
	}

	@Test
	void welcomesAUserWithTheOnlineUsersAndTheRooms() {
		try (ChatClient wendy = connect("wendy")) {
			JsonNode welcome = wendy.next("welcome");
			assertThat(welcome.path("user").asString()).isEqualTo("wendy");
			assertThat(welcome.path("online").valueStream().map(JsonNode::asString)).contains("wendy");
			assertThat(welcome.path("rooms").valueStream().map(JsonNode::asString)).startsWith("general", "random",
					"help");
			assertThat(wendy.subprotocol()).isEqualTo("switchboard.token");
		}
	}

	@Test
	void handshakeWithoutATokenIsClosedWithAReasonThePageCanRead() {
		try (ChatClient anonymous = ChatClient.connectWithoutToken(this.port)) {
			CloseStatus status = anonymous.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("authentication required");
		}
	}

	@Test
	void handshakeWithAnInvalidTokenIsClosedWithInvalidToken() {
		String token = this.tokens.sign("mallory");
		try (ChatClient mallory = ChatClient.connect(this.port, "x" + token)) {
			CloseStatus status = mallory.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("invalid token");
		}
	}

	@Test
	void joiningARoomRepliesWithItsRecentMessagesAndTheRequestId() {
		try (ChatClient ann = connect("ann"); ChatClient ben = connect("ben")) {
			ann.send("{\"type\":\"join\",\"room\":\"history\",\"id\":1}").next("joined");
			ann.send("{\"type\":\"post\",\"room\":\"history\",\"text\":\"first\"}").next("posted");
			ann.send("{\"type\":\"post\",\"room\":\"history\",\"text\":\"second\"}").next("posted");
			JsonNode joined = ben.send("{\"type\":\"join\",\"room\":\"history\",\"id\":7}").next("joined");
			assertThat(joined.path("id").asInt()).isEqualTo(7);
			assertThat(joined.path("room").asString()).isEqualTo("history");
			assertThat(joined.path("history").findValuesAsString("text")).containsExactly("first", "second");
			assertThat(joined.path("history").get(0).path("from").asString()).isEqualTo("ann");
			assertThat(joined.path("history").get(0).path("sentAt").isString()).isTrue();
		}
	}

	@Test
	void postReachesEveryMemberOfTheRoomAndIsAcknowledged() {
		try (ChatClient cat = connect("cat"); ChatClient dan = connect("dan"); ChatClient eve = connect("eve")) {
			cat.send("{\"type\":\"join\",\"room\":\"kitchen\"}").next("joined");
			dan.send("{\"type\":\"join\",\"room\":\"kitchen\"}").next("joined");
			cat.send("{\"type\":\"post\",\"room\":\"kitchen\",\"text\":\"tea?\",\"id\":\"p1\"}");
			JsonNode message = dan.next("message").path("message");
			assertThat(message.path("from").asString()).isEqualTo("cat");
			assertThat(message.path("text").asString()).isEqualTo("tea?");
			// The sender too, before the reply: they share the connection's queue.
			assertThat(cat.next("message").path("message")).isEqualTo(message);
			JsonNode posted = cat.next("posted");
			assertThat(posted.path("id").asString()).isEqualTo("p1");
			assertThat(posted.path("messageId").asString()).isEqualTo(message.path("messageId").asString());
			eve.send("{\"type\":\"join\",\"room\":\"elsewhere\"}").next("joined");
			eve.send("{\"type\":\"post\",\"room\":\"elsewhere\",\"text\":\"only me\"}");
			assertThat(eve.next("message").path("message").path("text").asString()).isEqualTo("only me");
			cat.send("{\"type\":\"post\",\"room\":\"kitchen\",\"text\":\"milk?\"}");
			assertThat(dan.next("message").path("message").path("text").asString()).isEqualTo("milk?");
		}
	}

	@Test
	void postToARoomNotJoinedIsForbidden() {
		try (ChatClient fay = connect("fay")) {
			JsonNode error = fay.send("{\"type\":\"post\",\"room\":\"general\",\"text\":\"hi\",\"id\":3}").nextError();
			assertThat(error.path("code").asString()).isEqualTo("forbidden");
			assertThat(error.path("error").asString()).isEqualTo("join general first");
			assertThat(error.path("id").asInt()).isEqualTo(3);
		}
	}

	@Test
	void invalidRoomNameIsABadRequest() {
		try (ChatClient gus = connect("gus")) {
			JsonNode error = gus.send("{\"type\":\"join\",\"room\":\"no spaces\",\"id\":4}").nextError();
			assertThat(error.path("code").asString()).isEqualTo("bad-request");
			assertThat(error.path("error").asString()).contains("room");
		}
	}

	@Test
	void joiningANewRoomAnnouncesItToEveryone() {
		try (ChatClient hal = connect("hal"); ChatClient ida = connect("ida")) {
			hal.next("welcome");
			ida.send("{\"type\":\"join\",\"room\":\"brand-new\"}").next("joined");
			JsonNode rooms = hal.next("rooms");
			assertThat(rooms.path("rooms").valueStream().map(JsonNode::asString)).startsWith("general")
				.contains("brand-new");
		}
	}

	@Test
	void directMessageReachesEveryDeviceOfTheRecipientAndTheSendersOtherDevices() {
		try (ChatClient kimPhone = connect("kim");
				ChatClient kimLaptop = connect("kim");
				ChatClient leoPhone = connect("leo");
				ChatClient leoLaptop = connect("leo")) {
			leoLaptop.next("welcome");
			JsonNode reply = kimPhone.send("{\"type\":\"direct\",\"to\":\"leo\",\"text\":\"psst\",\"id\":5}")
				.next("direct");
			assertThat(reply.path("id").asInt()).isEqualTo(5);
			for (ChatClient device : new ChatClient[] { kimLaptop, leoPhone, leoLaptop }) {
				JsonNode direct = device.next("direct");
				assertThat(direct.path("from").asString()).isEqualTo("kim");
				assertThat(direct.path("to").asString()).isEqualTo("leo");
				assertThat(direct.path("text").asString()).isEqualTo("psst");
			}
		}
	}

	@Test
	void directMessageToAnOfflineUserIsRefused() {
		try (ChatClient max = connect("max")) {
			JsonNode error = max.send("{\"type\":\"direct\",\"to\":\"nobody\",\"text\":\"hello?\",\"id\":6}")
				.nextError();
			assertThat(error.path("code").asString()).isEqualTo("bad-request");
			assertThat(error.path("error").asString()).isEqualTo("nobody is not online");
		}
	}

	@Test
	void presenceIsBroadcastWhenAUserComesAndGoes() {
		try (ChatClient observer = connect("nia"); ChatClient oscar = connect("oscar")) {
			observer.next("welcome");
			assertThat(observer.next((json) -> isPresence(json, "oscar", true), "oscar online")).isNotNull();
			oscar.close();
			assertThat(observer.next((json) -> isPresence(json, "oscar", false), "oscar offline")).isNotNull();
		}
	}

	private ChatClient connect(String user) {
		return ChatClient.connect(this.port, this.tokens.sign(user));
	}

	private static boolean isPresence(JsonNode json, String user, boolean online) {
		return "presence".equals(json.path("type").asString()) && user.equals(json.path("user").asString())
				&& json.path("online").asBoolean() == online;
	}

}
