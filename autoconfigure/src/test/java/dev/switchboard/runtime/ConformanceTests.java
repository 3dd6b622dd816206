package dev.switchboard.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.switchboard.CloseReason;
import dev.switchboard.fixtures.LimitedSocket;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.RawWebSocket.RawFrame;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 6455 on the wire: frames a plain Reactor Netty endpoint gets wrong, sent byte by
 * byte.
 */
class ConformanceTests extends SocketTestSupport {

	private static final byte[] INVALID_UTF8 = { 'a', (byte) 0xC3, (byte) 0x28 };

	@Test
	void closesWith1009WhenAMessageExceedsTheLimitAndNeverRunsTheHandler() {
		try (RawWebSocket client = raw("/ws/limited"); WsClient bystander = connect("/ws/limited")) {
			int before = LimitedSocket.handled.get();
			client.sendFrame(true, 0, RawWebSocket.TEXT, text(1025));
			assertThat(client.awaitCloseCode()).isEqualTo(1009);
			assertThat(LimitedSocket.handled.get()).isEqualTo(before);
			bystander.send("still here");
			assertThat(bystander.nextText()).isEqualTo("echo:still here");
		}
	}

	@Test
	void closesWith1009WhenFragmentsAddUpToMoreThanTheLimit() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(false, 0, RawWebSocket.TEXT, text(600));
			client.sendFrame(true, 0, RawWebSocket.CONTINUATION, text(600));
			assertThat(client.awaitCloseCode()).isEqualTo(1009);
		}
	}

	@Test
	void reassemblesFragmentedMessagesWithinTheLimit() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(false, 0, RawWebSocket.TEXT, "hel".getBytes(StandardCharsets.UTF_8));
			client.sendFrame(false, 0, RawWebSocket.CONTINUATION, "lo ".getBytes(StandardCharsets.UTF_8));
			client.sendFrame(true, 0, RawWebSocket.CONTINUATION, "world".getBytes(StandardCharsets.UTF_8));
			RawFrame reply = client.readFrame();
			assertThat(new String(reply.payload(), StandardCharsets.UTF_8)).isEqualTo("echo:hello world");
		}
	}

	@Test
	void reassemblesAMessageOfManyOneByteFragments() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(false, 0, RawWebSocket.TEXT, "a".getBytes(StandardCharsets.UTF_8));
			for (int i = 1; i < 499; i++) {
				client.sendFrame(false, 0, RawWebSocket.CONTINUATION, "a".getBytes(StandardCharsets.UTF_8));
			}
			client.sendFrame(true, 0, RawWebSocket.CONTINUATION, "b".getBytes(StandardCharsets.UTF_8));
			RawFrame reply = client.readFrame();
			assertThat(new String(reply.payload(), StandardCharsets.UTF_8)).isEqualTo("echo:" + "a".repeat(499) + "b");
		}
	}

	@Test
	void answersControlFramesInTheMiddleOfAFragmentedMessage() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(false, 0, RawWebSocket.TEXT, "a".getBytes(StandardCharsets.UTF_8));
			client.sendFrame(true, 0, RawWebSocket.PING, "p".getBytes(StandardCharsets.UTF_8));
			client.sendFrame(true, 0, RawWebSocket.CONTINUATION, "b".getBytes(StandardCharsets.UTF_8));
			RawFrame pong = client.readFrame();
			assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
			assertThat(pong.payload()).containsExactly('p');
			assertThat(new String(client.readFrame().payload(), StandardCharsets.UTF_8)).isEqualTo("echo:ab");
		}
	}

	@Test
	void closesWith1007OnInvalidUtf8InATextFrame() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(true, 0, RawWebSocket.TEXT, INVALID_UTF8);
			assertThat(client.awaitCloseCode()).isEqualTo(1007);
		}
	}

	@Test
	void closesWith1007OnInvalidUtf8SplitAcrossFragments() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(false, 0, RawWebSocket.TEXT, new byte[] { 'a', (byte) 0xE2, (byte) 0x82 });
			client.sendFrame(true, 0, RawWebSocket.CONTINUATION, new byte[] { 'b' });
			assertThat(client.awaitCloseCode()).isEqualTo(1007);
		}
	}

	@Test
	void closesWith1007WhenAFragmentedMessageEndsInsideACharacter() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(false, 0, RawWebSocket.TEXT, new byte[] { 'a', (byte) 0xE2, (byte) 0x82 });
			client.sendFrame(true, 0, RawWebSocket.CONTINUATION, new byte[0]);
			assertThat(client.awaitCloseCode()).isEqualTo(1007);
		}
	}

	@Test
	void acceptsACharacterSplitAcrossFragments() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(false, 0, RawWebSocket.TEXT, new byte[] { 'a', (byte) 0xE2 });
			client.sendFrame(true, 0, RawWebSocket.CONTINUATION, new byte[] { (byte) 0x82, (byte) 0xAC });
			assertThat(new String(client.readFrame().payload(), StandardCharsets.UTF_8)).isEqualTo("echo:a\u20ac");
		}
	}

	@Test
	void closesWith1002OnReservedBitsWithoutAnExtension() {
		for (int rsv : new int[] { 4, 2, 1 }) {
			try (RawWebSocket client = raw("/ws/limited")) {
				client.sendFrame(true, rsv, RawWebSocket.TEXT, "x".getBytes(StandardCharsets.UTF_8));
				assertThat(client.awaitCloseCode()).as("rsv %d", rsv).isEqualTo(1002);
			}
		}
	}

	@Test
	void closesWith1002OnAnUnknownOpcode() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(true, 0, 0x3, new byte[0]);
			assertThat(client.awaitCloseCode()).isEqualTo(1002);
		}
	}

	@Test
	void closesWith1002OnAFragmentedControlFrame() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(false, 0, RawWebSocket.PING, new byte[0]);
			assertThat(client.awaitCloseCode()).isEqualTo(1002);
		}
	}

	@Test
	void closesWith1002OnAControlFrameLongerThan125Bytes() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(true, 0, RawWebSocket.PING, new byte[126]);
			assertThat(client.awaitCloseCode()).isEqualTo(1002);
		}
	}

	@Test
	void closesWith1002OnAContinuationWithoutAMessage() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(true, 0, RawWebSocket.CONTINUATION, "x".getBytes(StandardCharsets.UTF_8));
			assertThat(client.awaitCloseCode()).isEqualTo(1002);
		}
	}

	@Test
	void closesWith1002OnANewMessageBeforeTheFragmentedOneEnds() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(false, 0, RawWebSocket.TEXT, "x".getBytes(StandardCharsets.UTF_8));
			client.sendFrame(true, 0, RawWebSocket.TEXT, "y".getBytes(StandardCharsets.UTF_8));
			assertThat(client.awaitCloseCode()).isEqualTo(1002);
		}
	}

	@Test
	void closesWith1002OnAnInvalidCloseCode() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(true, 0, RawWebSocket.CLOSE, new byte[] { 0x03, (byte) 0xED });
			assertThat(client.awaitCloseCode()).isEqualTo(1002);
		}
	}

	@Test
	void answersAPingWithAPongCarryingTheSamePayload() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(true, 0, RawWebSocket.PING, "hello".getBytes(StandardCharsets.UTF_8));
			RawFrame pong = client.readFrame();
			assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
			assertThat(new String(pong.payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
		}
	}

	@Test
	void echoesTheClientsCloseFrameAndThenClosesTheConnection() {
		try (RawWebSocket client = raw("/ws/limited")) {
			client.sendFrame(true, 0, RawWebSocket.CLOSE, closePayload(4000, "done"));
			RawFrame close = client.readFrame();
			assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
			assertThat(close.closeCode()).isEqualTo(4000);
			assertThat(client.readFrame()).isNull();
		}
	}

	@Test
	void waitsForTheClientsEchoBeforeClosingTheTransport() {
		try (WsClient observer = connect("/ws/chat"); RawWebSocket client = raw("/ws/chat")) {
			observer.next();
			String id = new String(client.readFrame().payload(), StandardCharsets.UTF_8)
				.replaceAll(".*\"connectionId\":\"([^\"]+)\".*", "$1");
			this.switchboard.toConnection(id)
				.close(CloseReason.POLICY_VIOLATION.withReason("go"))
				.block(WsClient.TIMEOUT);
			RawFrame close = client.readFrame();
			assertThat(close.closeCode()).isEqualTo(1008);
			assertThat(close.closeReason()).isEqualTo("go");
			client.sendText("late message, discarded");
			client.sendFrame(true, 0, RawWebSocket.CLOSE, closePayload(1008, ""));
			assertThat(client.readFrame()).isNull();
			assertThat(this.events.disconnected(id).status().getCode()).isEqualTo(1008);
		}
	}

	@Test
	void repliesToTheMessagesBeforeAProtocolErrorBeforeItCloses() {
		// The echo is a plain method, which runs off the event loop: the bad frame is
		// read while it runs.
		byte[][] badFrames = { RawWebSocket.frame(true, 2, RawWebSocket.TEXT, "x".getBytes(StandardCharsets.UTF_8)),
				RawWebSocket.frame(true, 0, 0x5, new byte[0]),
				RawWebSocket.frame(true, 0, RawWebSocket.TEXT, INVALID_UTF8),
				RawWebSocket.frame(true, 0, RawWebSocket.CONTINUATION, "x".getBytes(StandardCharsets.UTF_8)),
				RawWebSocket.frame(true, 0, RawWebSocket.TEXT, text(1025)),
				RawWebSocket.frame(true, 0, RawWebSocket.CLOSE, new byte[] { 0x13, (byte) 0x88 }) };
		int[] codes = { 1002, 1002, 1007, 1002, 1009, 1002 };
		for (int i = 0; i < badFrames.length; i++) {
			try (RawWebSocket client = raw("/ws/limited")) {
				client.send(RawWebSocket.frame(true, 0, RawWebSocket.TEXT, "first".getBytes(StandardCharsets.UTF_8)),
						RawWebSocket.frame(true, 0, RawWebSocket.TEXT, "second".getBytes(StandardCharsets.UTF_8)),
						badFrames[i],
						RawWebSocket.frame(true, 0, RawWebSocket.TEXT, "after".getBytes(StandardCharsets.UTF_8)));
				assertThat(new String(client.readFrame().payload(), StandardCharsets.UTF_8)).as("bad frame %d", i)
					.isEqualTo("echo:first");
				assertThat(new String(client.readFrame().payload(), StandardCharsets.UTF_8)).as("bad frame %d", i)
					.isEqualTo("echo:second");
				RawFrame close = client.readFrame();
				assertThat(close.opcode()).as("bad frame %d", i).isEqualTo(RawWebSocket.CLOSE);
				assertThat(close.closeCode()).as("bad frame %d", i).isEqualTo(codes[i]);
				assertThat(client.readFrame()).as("bad frame %d", i).isNull();
			}
		}
	}

	@Test
	void answersACloseCodeThatNoEndpointMaySendWith1002() {
		for (int code : new int[] { 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535 }) {
			try (RawWebSocket client = raw("/ws/limited")) {
				client.sendClose(code, "");
				assertThat(client.awaitCloseCode()).as("close code %d", code).isEqualTo(1002);
			}
		}
	}

	private static byte[] text(int length) {
		byte[] bytes = new byte[length];
		Arrays.fill(bytes, (byte) 'x');
		return bytes;
	}

	private static byte[] closePayload(int code, String reason) {
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		byte[] payload = new byte[text.length + 2];
		payload[0] = (byte) (code >> 8);
		payload[1] = (byte) code;
		System.arraycopy(text, 0, payload, 2, text.length);
		return payload;
	}

}
