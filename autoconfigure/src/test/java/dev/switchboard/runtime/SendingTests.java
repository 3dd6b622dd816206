package dev.switchboard.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.test.StepVerifier;
import tools.jackson.core.JacksonException;

import dev.switchboard.CloseReason;
import dev.switchboard.ConnectionInfo;
import dev.switchboard.ConnectionRejectedException;
import dev.switchboard.DeliveryException;
import dev.switchboard.SendResult;
import dev.switchboard.test.Await;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SendingTests extends SocketTestSupport {

	@Autowired
	SwitchboardServer server;

	@Test
	void sendsToOneConnectionById() {
		try (WsClient client = connect("/ws/chat")) {
			String id = client.nextJson().get("connectionId").asString();
			SendResult result = this.switchboard.toConnection(id).send(new Notice("notice", "hi")).block();
			assertThat(result).isEqualTo(new SendResult(1, 0));
			assertThat(client.nextJson().get("text").asString()).isEqualTo("hi");
		}
	}

	@Test
	void reportsAnUnknownConnectionAsNotConnected() {
		SendResult result = this.switchboard.toConnection("nobody.here").send("x").block();
		assertThat(result.notConnected()).isTrue();
		assertThat(this.switchboard.toUser("nobody").send("x").block().notConnected()).isTrue();
	}

	@Test
	void sendsToEveryDeviceOfAUserAndNoOneElse() {
		try (WsClient phone = connect("/ws/chat?user=sam");
				WsClient laptop = connect("/ws/chat?user=sam");
				WsClient other = connect("/ws/chat?user=kim")) {
			phone.next();
			laptop.next();
			other.next();
			assertThat(this.switchboard.toUser("sam").send("for sam").block().reached()).isEqualTo(2);
			assertThat(phone.nextText()).isEqualTo("for sam");
			assertThat(laptop.nextText()).isEqualTo("for sam");
			assertThat(this.switchboard.toUsers(List.of("sam", "kim")).send("for both").block().reached()).isEqualTo(3);
			assertThat(other.nextText()).isEqualTo("for both");
			assertThat(phone.nextText()).isEqualTo("for both");
		}
	}

	@Test
	void sendsToTheMembersOfARoomExceptTheSender() {
		try (WsClient ann = connect("/ws/chat?user=ann&room=garden");
				WsClient ben = connect("/ws/chat?user=ben&room=garden");
				WsClient cat = connect("/ws/chat?user=cat")) {
			ann.next();
			ben.next();
			cat.next();
			ann.send("{\"type\":\"say\",\"room\":\"garden\",\"text\":\"roses\"}");
			assertThat(ben.nextJson().toString()).isEqualTo("{\"type\":\"said\",\"from\":\"ann\",\"text\":\"roses\"}");
			cat.send("{\"type\":\"join\",\"room\":\"garden\"}");
			assertThat(cat.nextJson().get("type").asString()).isEqualTo("joined");
			assertThat(this.switchboard.toRoom("garden").send("all").block().reached()).isEqualTo(3);
			assertThat(cat.nextText()).isEqualTo("all");
			assertThat(ann.nextText()).isEqualTo("all");
			assertThat(ben.nextText()).isEqualTo("all");
			assertThat(this.switchboard.membersOf("garden").map(ConnectionInfo::user).collectList().block())
				.containsExactlyInAnyOrder("ann", "ben", "cat");
		}
	}

	@Test
	void leavesOutEveryExceptedConnection() {
		try (WsClient ann = connect("/ws/chat?room=porch");
				WsClient ben = connect("/ws/chat?room=porch");
				WsClient cat = connect("/ws/chat?room=porch")) {
			String annId = ann.nextJson().get("connectionId").asString();
			String benId = ben.nextJson().get("connectionId").asString();
			cat.next();
			assertThat(this.switchboard.toRoom("porch").except(annId).except(benId).send("only cat").block())
				.isEqualTo(new SendResult(1, 0));
			assertThat(cat.nextText()).isEqualTo("only cat");
		}
	}

	@Test
	void listsTheRoomsAConnectionJoined() {
		try (WsClient lonely = connect("/ws/chat"); WsClient client = connect("/ws/chat?room=garden")) {
			lonely.next();
			lonely.send("{\"type\":\"rooms\"}");
			assertThat(lonely.nextJson().get("rooms")).isEmpty();
			client.next();
			client.send("{\"type\":\"join\",\"room\":\"porch\",\"text\":\"\"}");
			client.next();
			client.send("{\"type\":\"rooms\"}");
			assertThat(client.nextJson().get("rooms").toString()).isEqualTo("[\"garden\",\"porch\"]");
		}
	}

	@Test
	void givesHandlersTheRoomsAsAReadOnlyView() {
		try (WsClient client = connect("/ws/chat?room=garden")) {
			client.next();
			client.send("{\"type\":\"rooms\"}");
			assertThat(client.nextJson().get("readOnly").asBoolean()).isTrue();
		}
	}

	@Test
	void sendsOnceToAUserNamedTwice() {
		try (WsClient client = connect("/ws/chat?user=twice")) {
			client.next();
			assertThat(this.switchboard.toUsers(List.of("twice", "twice")).send("once").block().reached()).isEqualTo(1);
		}
	}

	@Test
	void stopsSendingToAConnectionThatLeftARoom() {
		try (WsClient client = connect("/ws/chat?room=hall")) {
			String id = client.nextJson().get("connectionId").asString();
			assertThat(this.switchboard.leave(id, "hall").block()).isEqualTo(new SendResult(1, 0));
			assertThat(this.switchboard.toRoom("hall").send("anyone?").block().notConnected()).isTrue();
		}
	}

	@Test
	void broadcastsToEveryConnectionOfASocket() {
		try (WsClient one = connect("/ws/greeting"); WsClient two = connect("/ws/greeting")) {
			one.next();
			two.next();
			assertThat(this.switchboard.broadcast("greeting", new byte[] { 7 }).block().reached()).isEqualTo(2);
			assertThat(one.next().payload()).containsExactly(7);
			assertThat(two.next().payload()).containsExactly(7);
		}
	}

	@Test
	void encodesAPayloadOnceForAllItsRecipients() {
		try (WsClient one = connect("/ws/chat?room=counted");
				WsClient two = connect("/ws/chat?room=counted");
				WsClient three = connect("/ws/chat?room=counted")) {
			one.next();
			two.next();
			three.next();
			Counted payload = new Counted();
			assertThat(this.switchboard.toRoom("counted").send(payload).block().reached()).isEqualTo(3);
			assertThat(one.nextText()).isEqualTo(two.nextText()).isEqualTo(three.nextText());
			assertThat(payload.serializations.get()).isEqualTo(1);
		}
	}

	@Test
	void closesEveryConnectionOfAUserWithTheGivenStatus() {
		try (WsClient one = connect("/ws/chat?user=leaver"); WsClient two = connect("/ws/chat?user=leaver")) {
			one.next();
			two.next();
			CloseStatus loggedOut = CloseStatus.POLICY_VIOLATION.withReason("logged out");
			assertThat(this.switchboard.toUser("leaver")
				.close(CloseReason.POLICY_VIOLATION.withReason("logged out"))
				.block()
				.reached()).isEqualTo(2);
			assertThat(one.awaitClose()).isEqualTo(loggedOut);
			assertThat(two.awaitClose()).isEqualTo(loggedOut);
		}
	}

	@Test
	void listsConnectionsAndOnlineUsers() {
		try (WsClient one = connect("/ws/chat?user=lister"); WsClient two = connect("/ws/chat?user=lister")) {
			String first = one.nextJson().get("connectionId").asString();
			String second = two.nextJson().get("connectionId").asString();
			assertThat(this.switchboard.connectionsOf("lister").map(ConnectionInfo::id).collectList().block())
				.containsExactlyInAnyOrder(first, second);
			assertThat(this.switchboard.isOnline("lister").block()).isTrue();
			assertThat(this.switchboard.onlineUsers().collectList().block()).contains("lister");
		}
		this.events.presenceOf("lister", 2);
		assertThat(this.switchboard.isOnline("lister").block()).isFalse();
		assertThat(this.switchboard.connectionsOf("lister").collectList().block()).isEmpty();
	}

	@Test
	void neverAnnouncesAUserWhoseConnectionOnConnectRejected() {
		try (WsClient rejected = connect("/ws/rejecting?mode=reject&user=banned")) {
			assertThat(rejected.awaitClose().getCode()).isEqualTo(1008);
		}
		try (WsClient accepted = connect("/ws/rejecting?user=banned")) {
			accepted.send("ping");
			assertThat(accepted.nextText()).isEqualTo("ping");
		}
		// Events are published in order: had the rejected connection been announced, its
		// two events would come first.
		assertThat(this.events.presenceOf("banned", 2)).containsExactly("online", "offline");
	}

	@Test
	void publishesPresenceEventsOncePerUserWhateverTheNumberOfDevices() {
		try (WsClient phone = connect("/ws/chat?user=pat"); WsClient laptop = connect("/ws/chat?user=pat")) {
			phone.next();
			laptop.next();
			phone.close();
			laptop.close();
		}
		assertThat(this.events.presenceOf("pat", 2)).containsExactly("online", "offline");
		try (WsClient again = connect("/ws/chat?user=pat")) {
			again.next();
			// Events are published in order: a duplicate would come before this online
			// event.
			assertThat(this.events.presenceOf("pat", 3)).containsExactly("online", "offline", "online");
		}
	}

	@Test
	void sendsToARoomWhateverTheSocketOfItsMembers() {
		try (WsClient chat = connect("/ws/chat?room=shared"); WsClient greeting = connect("/ws/greeting")) {
			chat.next();
			String greetingId = greeting.nextText().substring("hello ".length());
			assertThat(this.switchboard.join(greetingId, "shared").block()).isEqualTo(new SendResult(1, 0));
			assertThat(this.switchboard.toRoom("shared").send("both sockets").block().reached()).isEqualTo(2);
			assertThat(chat.nextText()).isEqualTo("both sockets");
			assertThat(greeting.nextText()).isEqualTo("both sockets");
		}
	}

	@Test
	void sendsAndJoinsNothingUntilSubscribedTo() {
		try (WsClient client = connect("/ws/chat")) {
			String id = client.nextJson().get("connectionId").asString();
			this.switchboard.toConnection(id).send("never subscribed to");
			this.switchboard.join(id, "never-joined");
			assertThat(this.switchboard.toConnection(id).send("subscribed to").block()).isEqualTo(new SendResult(1, 0));
			assertThat(client.nextText()).isEqualTo("subscribed to");
			assertThat(this.switchboard.membersOf("never-joined").collectList().block()).isEmpty();
		}
	}

	@Test
	void failsASendWhosePayloadTheMapperCannotWriteAndSendsNothing() {
		try (WsClient client = connect("/ws/chat")) {
			String id = client.nextJson().get("connectionId").asString();
			StepVerifier.create(this.switchboard.toConnection(id).send(new Unwritable()))
				.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(JacksonException.class)
					.isNotInstanceOf(DeliveryException.class))
				.verify(WsClient.TIMEOUT);
			this.switchboard.toConnection(id).send("next").block();
			assertThat(client.nextText()).isEqualTo("next");
		}
	}

	@Test
	void givesTheRequestIdToRepliesOnlyNotToSendsTheHandlerMakes() {
		try (WsClient ann = connect("/ws/chat?user=ann&room=atrium"); WsClient ben = connect("/ws/chat?room=atrium")) {
			ann.next();
			ben.next();
			ann.send("{\"type\":\"say\",\"id\":7,\"room\":\"atrium\",\"text\":\"hi\"}");
			assertThat(ben.nextJson().toString()).isEqualTo("{\"type\":\"said\",\"from\":\"ann\",\"text\":\"hi\"}");
			ann.send("{\"type\":\"join\",\"id\":8,\"room\":\"porch\"}");
			assertThat(ann.nextJson().get("id").asInt()).isEqualTo(8);
		}
	}

	@Test
	void joinsAndLeavesOnceWhateverTheRepeatsAndReportsAnUnknownConnection() {
		try (WsClient client = connect("/ws/chat?room=twice")) {
			String id = client.nextJson().get("connectionId").asString();
			assertThat(this.switchboard.join(id, "twice").block()).isEqualTo(new SendResult(1, 0));
			assertThat(this.switchboard.leave(id, "not-joined").block()).isEqualTo(new SendResult(1, 0));
			assertThat(this.switchboard.membersOf("twice").map(ConnectionInfo::id).collectList().block())
				.containsExactly(id);
			assertThat(this.switchboard.toRoom("twice").send("once").block().reached()).isEqualTo(1);
			assertThat(client.nextText()).isEqualTo("once");
			assertThat(this.switchboard.join("nobody.here", "twice").block()).isEqualTo(SendResult.NOT_CONNECTED);
			assertThat(this.switchboard.leave("nobody.here", "twice").block()).isEqualTo(SendResult.NOT_CONNECTED);
		}
	}

	@Test
	void listsTheRoomsOfAClosingConnectionInOnDisconnectAndFailsSendsToIt() {
		String id;
		try (WsClient client = connect("/ws/chat?room=garden")) {
			id = client.nextJson().get("connectionId").asString();
			this.switchboard.join(id, "porch").block();
		}
		this.events.await(String.class, ("chat " + id + " left [garden, porch]")::equals, 1);
		this.events.await(String.class, ("chat " + id + " send failed, not connected true")::equals, 1);
		Await.until(() -> this.switchboard.membersOf("porch").collectList().block().isEmpty());
	}

	@Test
	void writesTheQueuedMessagesBeforeTheCloseFrame() {
		try (WsClient client = connect("/ws/chat")) {
			String id = client.nextJson().get("connectionId").asString();
			for (int i = 0; i < 6; i++) {
				this.switchboard.toConnection(id).send(chunk()).block();
			}
			CloseStatus bye = CloseStatus.NORMAL.withReason("bye");
			assertThat(this.switchboard.toConnection(id).close(CloseReason.NORMAL.withReason("bye")).block())
				.isEqualTo(new SendResult(1, 0));
			assertThat(client.next(6)).allSatisfy((frame) -> assertThat(frame.payload()).isEqualTo(chunk()));
			assertThat(client.awaitClose()).isEqualTo(bye);
		}
	}

	@Test
	void closesTheNetworkConnectionAfterTheCloseTimeoutWhenTheClientDoesNotAnswer() {
		try (RawWebSocket client = raw("/ws/chat")) {
			String id = new String(client.readFrame().payload(), StandardCharsets.UTF_8)
				.replaceAll(".*\"connectionId\":\"([^\"]+)\".*", "$1");
			this.switchboard.toConnection(id).close(CloseReason.NORMAL).block();
			assertThat(client.readFrame().closeCode()).isEqualTo(1000);
			long sent = System.nanoTime();
			assertThat(client.readFrame()).isNull();
			Duration closedAfter = Duration.ofNanos(System.nanoTime() - sent);
			// The default close-timeout is 5 seconds.
			assertThat(closedAfter).isBetween(Duration.ofMillis(4500), Duration.ofSeconds(8));
		}
	}

	@Test
	void closesWithTheCodeTheApplicationChoosesThroughTheSwitchboardOrTheConnection() {
		for (int code : new int[] { 1000, 4000, 4999 }) {
			try (WsClient byId = connect("/ws/chat"); WsClient direct = connect("/ws/chat")) {
				String id = byId.nextJson().get("connectionId").asString();
				String directId = direct.nextJson().get("connectionId").asString();
				CloseStatus status = new CloseStatus(code, "chosen " + code);
				assertThat(this.switchboard.toConnection(id).close(new CloseReason(code, "chosen " + code)).block())
					.isEqualTo(new SendResult(1, 0));
				assertThat(byId.awaitClose()).isEqualTo(status);
				this.server.localConnection(directId).close(status).block(WsClient.TIMEOUT);
				assertThat(direct.awaitClose()).isEqualTo(status);
			}
		}
	}

	@Test
	void refusesToCloseWithTheCodesThatOnlyReportAClose() {
		try (WsClient client = connect("/ws/chat")) {
			String id = client.nextJson().get("connectionId").asString();
			for (int code : new int[] { 1005, 1006 }) {
				StepVerifier.create(this.switchboard.toConnection(id).close(new CloseReason(code)))
					.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(IllegalArgumentException.class)
						.hasMessageContaining("Close code " + code + " cannot be sent"))
					.verify(WsClient.TIMEOUT);
				StepVerifier.create(this.server.localConnection(id).close(new CloseStatus(code)))
					.expectError(IllegalArgumentException.class)
					.verify(WsClient.TIMEOUT);
				assertThat(this.switchboard.toConnection(id).send("still open").block(WsClient.TIMEOUT).reached())
					.isEqualTo(1);
				assertThat(client.nextText()).isEqualTo("still open");
			}
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new ConnectionRejectedException(HttpStatus.FORBIDDEN, new CloseStatus(1006), "gone"));
		}
	}

	record Notice(String type, String text) {
	}

	/**
	 * Cannot be written as JSON.
	 */
	static final class Unwritable {

		@JsonProperty("broken")
		String broken() {
			throw new IllegalStateException("cannot be written");
		}

	}

	/**
	 * Counts how often it is serialized.
	 */
	static final class Counted {

		final AtomicInteger serializations = new AtomicInteger();

		@JsonProperty("count")
		int count() {
			return this.serializations.incrementAndGet();
		}

	}

}
