package dev.switchboard.runtime;

import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.SendResult;
import dev.switchboard.fixtures.EventLog.Joined;
import dev.switchboard.fixtures.EventLog.Left;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@code @OnConnect} and {@code @OnDisconnect} run relative to the connection's
 * messages and its registration, as docs/annotations.md states.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectionLifecycleTests extends SocketTestSupport {

	@Autowired
	SwitchboardServer server;

	@Test
	void holdsMessagesUntilOnConnectCompletesWhileSendsToTheConnectionArrive() {
		try (WsClient client = connect("/ws/welcome?room=hall")) {
			client.send("ping");
			this.events.await(Joined.class, (joined) -> joined.room().equals("hall"), 1);
			assertThat(this.switchboard.toRoom("hall").send("news").block(WsClient.TIMEOUT).reached()).isEqualTo(1);
			assertThat(client.nextText()).as("a send while @OnConnect runs").isEqualTo("news");
			try (WsClient opener = connect("/ws/welcome")) {
				opener.send("other connection");
				assertThat(opener.nextText()).as("another connection is not held").isEqualTo("pong: other connection");
				opener.send("{\"type\":\"open\",\"room\":\"hall\"}");
				// The Flux's last element comes 100 ms after its first: the message waits
				// for its completion, not for its first element.
				assertThat(client.nextText()).isEqualTo("welcome 1");
				assertThat(client.nextText()).isEqualTo("welcome 2");
				assertThat(client.nextText()).isEqualTo("pong: ping");
			}
		}
	}

	@Test
	void runsOnDisconnectOnceTheConnectionHasLeftTheRegistryAndItsRooms() {
		String id;
		try (WsClient client = connect("/ws/welcome?room=patio"); WsClient opener = connect("/ws/welcome")) {
			id = this.events.await(Joined.class, (joined) -> joined.room().equals("patio"), 1).get(0).connectionId();
			opener.send("{\"type\":\"open\",\"room\":\"patio\"}");
			assertThat(client.nextText()).isEqualTo("welcome 1");
			assertThat(client.nextText()).isEqualTo("welcome 2");
		}
		Left left = this.events.await(Left.class, (event) -> event.connectionId().equals(id), 1).get(0);
		assertThat(left.rooms()).as("connection.rooms() still lists its rooms").isEqualTo(Set.of("patio"));
		assertThat(left.members()).as("the room's members").doesNotContain(id);
		assertThat(left.sentToId()).isEqualTo(SendResult.NOT_CONNECTED);
		assertThat(left.sentDirectly()).isEqualTo("DeliveryException");
		assertThat(left.open()).isFalse();
	}

	@Test
	void logsAFailingOnDisconnectMethod(CapturedOutput output) {
		String id;
		try (WsClient client = connect("/ws/welcome?room=fail-on-disconnect");
				WsClient opener = connect("/ws/welcome")) {
			id = this.events.await(Joined.class, (joined) -> joined.room().equals("fail-on-disconnect"), 1)
				.get(0)
				.connectionId();
			opener.send("{\"type\":\"open\",\"room\":\"fail-on-disconnect\"}");
			assertThat(client.nextText()).isEqualTo("welcome 1");
		}
		Awaitility.await()
			.atMost(WsClient.TIMEOUT)
			.untilAsserted(() -> assertThat(output).contains("failed for connection " + id)
				.contains("@OnDisconnect failed on purpose"));
	}

	@Test
	void logsAnOnDisconnectMethodThatOverrunsItsTimeout(CapturedOutput output) {
		String id;
		try (WsClient client = connect("/ws/welcome?room=stall-on-disconnect");
				WsClient opener = connect("/ws/welcome")) {
			id = this.events.await(Joined.class, (joined) -> joined.room().equals("stall-on-disconnect"), 1)
				.get(0)
				.connectionId();
			opener.send("{\"type\":\"open\",\"room\":\"stall-on-disconnect\"}");
			assertThat(client.nextText()).isEqualTo("welcome 1");
		}
		Awaitility.await()
			.atMost(WsClient.TIMEOUT)
			.untilAsserted(() -> assertThat(output).contains("failed for connection " + id)
				.contains("handler did not complete within 3s"));
	}

	@Test
	void closesAfterTheMessagesAlreadyQueued() {
		try (WsClient client = connect("/ws/welcome")) {
			client.send("{\"type\":\"bye\"}");
			assertThat(client.nextText()).isEqualTo("bye 1");
			assertThat(client.nextText()).isEqualTo("bye 2");
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1000);
			assertThat(status.getReason()).isEqualTo("bye");
		}
	}

	@Test
	void stopsReadingFromAClientWhoseMessagesWait() {
		try (RawWebSocket client = raw("/ws/welcome?room=dam"); WsClient opener = connect("/ws/welcome")) {
			String id = this.events.await(Joined.class, (joined) -> joined.room().equals("dam"), 1)
				.get(0)
				.connectionId();
			NettySocketConnection connection = this.server.localConnection(id);
			assertThat(connection.channel().config().isAutoRead()).isTrue();
			for (int n = 0; n < 10; n++) {
				client.sendText("message " + n);
			}
			Awaitility.await().atMost(WsClient.TIMEOUT).until(() -> !connection.channel().config().isAutoRead());
			opener.send("{\"type\":\"open\",\"room\":\"dam\"}");
			Awaitility.await().atMost(WsClient.TIMEOUT).until(() -> connection.channel().config().isAutoRead());
		}
	}

}
