package dev.switchboard.registry.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.CloseReason;
import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;
import dev.switchboard.fixtures.EventLog;
import dev.switchboard.runtime.SwitchboardServer;
import dev.switchboard.test.Await;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.RawWebSocket.RawFrame;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way a connection can end cleans it up, on the in-memory registry and on Redis:
 * the client's close with a code from each class (answered with 1002 when RFC 6455 does
 * not allow it), or without a code, a TCP FIN, a TCP reset, a ping timeout, an idle
 * timeout, a protocol error, a message too big, a slow consumer, a close from the server,
 * a handler that closes it, an {@code @OnConnect} that fails, and the shutdown. After
 * each, the registry knows nothing of the connection and its user went offline once; at
 * the end, nothing is left on the instance or in Redis.
 */
class ConnectionEndTests {

	private static final AtomicInteger runs = new AtomicInteger();

	@ParameterizedTest(name = "{0} registry")
	@ValueSource(strings = { "memory", "redis" })
	void everyWayAConnectionEndsLeavesNothingBehind(String registry) {
		TestRedis redis = TestRedis.shared();
		String prefix = "ends" + runs.incrementAndGet();
		Instance app = Instance.start(redis, prefix, "ends", "switchboard.registry=" + registry,
				"switchboard.ping-interval=500ms", "switchboard.pong-timeout=500ms", "switchboard.idle-timeout=3s",
				"switchboard.close-timeout=1s", "switchboard.outbound.buffer-size=64KB",
				"switchboard.outbound.write-timeout=1s");
		Ends ends = new Ends(app);
		try {
			for (int code : new int[] { 1000, 1001, 1002, 1003, 1007, 1014, 3000, 4999 }) {
				ends.clientCloses(code, code);
			}
			for (int code : new int[] { 1004, 1005, 1006, 1015, 2999, 5000, 65535 }) {
				ends.clientCloses(code, 1002);
			}
			ends.clientClosesWithoutACode();
			ends.clientDropsTheConnection(false);
			ends.clientDropsTheConnection(true);
			ends.clientStopsAnsweringPings();
			ends.clientStopsSendingMessages();
			ends.clientBreaksTheProtocol();
			ends.clientSendsAMessageTooBig();
			ends.clientStopsReading();
			ends.clientReadsNothingOfAMessage();
			ends.serverCloses();
			ends.handlerCloses();
			ends.connectHandlerFails();
			ends.assertEveryUserWentOfflineOnce();
			assertThat(app.bean(SwitchboardServer.class).connectionCount()).isZero();
			Raw last = ends.connect("shutdown");
			EventLog events = app.bean(EventLog.class);
			app.close();
			assertThat(events.disconnected(last.id()).status().getCode()).isEqualTo(1001);
			assertThat(events.presenceOf(last.user(), 2)).containsExactly("online", "offline");
			if (registry.equals("redis")) {
				// The instance has left: nothing but the epoch stays.
				assertThat(Topology.keysOf(prefix)).allMatch((key) -> key.endsWith("}:epoch"));
			}
		}
		finally {
			ends.closeClients();
			app.close();
		}
	}

	/**
	 * The ways, each with a user of its own, on the {@code lifecycle} socket.
	 */
	private static final class Ends {

		private final Instance app;

		private final EventLog events;

		private final Switchboard switchboard;

		private final List<String> users = new ArrayList<>();

		private final List<AutoCloseable> clients = new ArrayList<>();

		Ends(Instance app) {
			this.app = app;
			this.events = app.bean(EventLog.class);
			this.switchboard = app.switchboard();
		}

		Raw connect(String user) {
			RawWebSocket client = RawWebSocket.connect(this.app.port(), "/ws/lifecycle?user=" + user);
			this.clients.add(client);
			String hello = new String(client.readFrame().payload(), StandardCharsets.UTF_8);
			if (!this.users.contains(user)) {
				this.users.add(user);
			}
			return new Raw(client, user, hello.substring("hello ".length()));
		}

		void clientCloses(int code, int answered) {
			Raw raw = connect("close-" + code);
			raw.client().sendClose(code, "bye");
			assertThat(raw.client().awaitCloseCode()).as("close frame answering %d", code).isEqualTo(answered);
			assertThat(raw.client().readFrame()).as("TCP closed after the close frame answering %d", code).isNull();
			raw.client().close();
			assertGone(raw, answered);
		}

		void clientClosesWithoutACode() {
			Raw raw = connect("close-none");
			raw.client().sendEmptyClose();
			assertThat(raw.client().awaitCloseCode()).isEqualTo(1005);
			raw.client().close();
			assertGone(raw, 1005);
		}

		void clientDropsTheConnection(boolean reset) {
			Raw raw = connect(reset ? "reset" : "fin");
			if (reset) {
				raw.client().reset();
			}
			else {
				raw.client().close();
			}
			assertGone(raw, 1006);
		}

		void clientStopsAnsweringPings() {
			Raw raw = connect("silent");
			assertThat(raw.client().awaitCloseCode()).isEqualTo(1001);
			assertGone(raw, 1001);
		}

		void clientStopsSendingMessages() {
			String user = "idle";
			this.users.add(user);
			try (WsClient client = WsClient.connect(this.app.uri("/ws/lifecycle?user=" + user))) {
				String id = client.nextText().substring("hello ".length());
				assertThat(client.awaitClose().getCode()).isEqualTo(1001);
				assertGone(new Raw(null, user, id), 1001);
			}
		}

		void clientBreaksTheProtocol() {
			Raw raw = connect("rsv");
			raw.client().sendFrame(true, 2, RawWebSocket.TEXT, "x".getBytes(StandardCharsets.UTF_8));
			assertThat(raw.client().awaitCloseCode()).isEqualTo(1002);
			raw.client().close();
			assertGone(raw, 1002);
		}

		void clientSendsAMessageTooBig() {
			Raw raw = connect("big");
			byte[] text = new byte[65 * 1024];
			Arrays.fill(text, (byte) 'x');
			raw.client().sendFrame(true, 0, RawWebSocket.TEXT, text);
			assertThat(raw.client().awaitCloseCode()).isEqualTo(1009);
			raw.client().close();
			assertGone(raw, 1009);
		}

		void clientStopsReading() {
			Raw raw = connect("slow");
			byte[] chunk = new byte[32 * 1024];
			int sends = 0;
			while (this.switchboard.toConnection(raw.id()).send(chunk).block(WsClient.TIMEOUT).reached() == 1) {
				assertThat(++sends).as("sends before the buffer filled").isLessThan(10_000);
			}
			assertGone(raw, 1013);
		}

		void clientReadsNothingOfAMessage() {
			Raw raw = connect("stalled");
			// Larger than the buffer, it is taken when nothing else waits, and the
			// network then takes none of it.
			assertThat(this.switchboard.toConnection(raw.id()).send(new byte[32 * 1024 * 1024]).block(WsClient.TIMEOUT))
				.isEqualTo(new SendResult(1, 0));
			assertThat(this.events.disconnected(raw.id()).status()).isEqualTo(new CloseStatus(1013, "write timeout"));
			assertGone(raw, 1013);
		}

		void serverCloses() {
			Raw raw = connect("server");
			this.switchboard.toConnection(raw.id()).close(new CloseReason(4000, "done")).block(WsClient.TIMEOUT);
			RawFrame close = readClose(raw.client());
			assertThat(close.closeCode()).isEqualTo(4000);
			raw.client().sendClose(4000, "");
			assertThat(raw.client().readFrame()).isNull();
			assertGone(raw, 4000);
		}

		void handlerCloses() {
			Raw raw = connect("kicked");
			raw.client().sendText("{\"type\":\"kick\"}");
			assertThat(raw.client().awaitCloseCode()).isEqualTo(1008);
			assertGone(raw, 1008);
		}

		void connectHandlerFails() {
			RawWebSocket client = RawWebSocket.connect(this.app.port(), "/ws/lifecycle?user=refused&fail=true");
			this.clients.add(client);
			assertThat(client.awaitCloseCode()).isEqualTo(1011);
			Await.until(() -> !isOnline("refused") && connectionCount("refused") == 0);
			assertThat(this.events.presenceOf("refused", 0)).isEmpty();
		}

		void assertEveryUserWentOfflineOnce() {
			for (String user : this.users) {
				assertThat(this.events.presenceOf(user, 2)).as(user).containsExactly("online", "offline");
			}
		}

		private void assertGone(Raw raw, int status) {
			assertThat(this.events.disconnected(raw.id()).status().getCode()).as(raw.user()).isEqualTo(status);
			Await.until(() -> !isOnline(raw.user()) && connectionCount(raw.user()) == 0);
			assertThat(this.events.presenceOf(raw.user(), 2)).as(raw.user()).containsExactly("online", "offline");
		}

		private boolean isOnline(String user) {
			return Boolean.TRUE.equals(this.switchboard.isOnline(user).block(WsClient.TIMEOUT));
		}

		private long connectionCount(String user) {
			return this.switchboard.connectionsOf(user).count().block(WsClient.TIMEOUT);
		}

		private static RawFrame readClose(RawWebSocket client) {
			RawFrame frame;
			while ((frame = client.readFrame()) != null) {
				if (frame.opcode() == RawWebSocket.CLOSE) {
					return frame;
				}
			}
			throw new AssertionError("The connection closed without a close frame");
		}

		void closeClients() {
			for (AutoCloseable client : this.clients) {
				try {
					client.close();
				}
				catch (Exception ex) {
					// closing anyway
				}
			}
		}

	}

	private record Raw(RawWebSocket client, String user, String id) {
	}

}
