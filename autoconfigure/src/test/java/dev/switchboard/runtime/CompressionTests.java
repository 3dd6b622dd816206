package dev.switchboard.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.fixtures.LimitedSocket;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.RawWebSocket.RawFrame;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * permessage-deflate, when enabled: the size limit applies to the inflated message while
 * it is inflated, so a small compressed frame cannot make the server allocate without
 * bound.
 */
@TestPropertySource(properties = "switchboard.compression=true")
class CompressionTests extends SocketTestSupport {

	private static final Map<String, String> DEFLATE = Map.of("Sec-WebSocket-Extensions", "permessage-deflate");

	@Test
	void negotiatesPermessageDeflateAndHandlesCompressedMessages() throws Exception {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws/limited", DEFLATE)) {
			assertThat(client.responseHead().toLowerCase(Locale.ROOT))
				.contains("sec-websocket-extensions: permessage-deflate");
			client.sendFrame(true, 4, RawWebSocket.TEXT, deflate("compressed hello".getBytes(StandardCharsets.UTF_8)));
			RawFrame reply = client.readFrame();
			byte[] payload = (reply.rsv() == 4) ? inflate(reply.payload()) : reply.payload();
			assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("echo:compressed hello");
		}
	}

	@Test
	void closesWith1009WhenAMessageInflatesPastTheLimitAndNeverRunsTheHandler() {
		byte[] bomb = deflate(new byte[10 * 1024 * 1024]);
		assertThat(bomb.length).isLessThan(1024 * 1024);
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws/limited", DEFLATE);
				WsClient bystander = connect("/ws/limited")) {
			int before = LimitedSocket.handled.get();
			client.sendFrame(true, 4, RawWebSocket.TEXT, Arrays.copyOf(bomb, Math.min(bomb.length, 1000)));
			assertThat(client.awaitCloseCode()).isEqualTo(1009);
			assertThat(LimitedSocket.handled.get()).isEqualTo(before);
			bystander.send("fine");
			assertThat(bystander.nextText()).isEqualTo("echo:fine");
		}
	}

	@Test
	void closesWith1007WhenACompressedMessageInflatesToTextThatIsNotUtf8() {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws/limited", DEFLATE)) {
			client.sendFrame(true, 4, RawWebSocket.TEXT, deflate(new byte[] { 'a', (byte) 0xC3, (byte) 0x28 }));
			assertThat(client.awaitCloseCode()).isEqualTo(1007);
		}
	}

	@Test
	void closesWith1007OnCorruptCompressedData() {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws/limited", DEFLATE)) {
			client.sendFrame(true, 4, RawWebSocket.TEXT, new byte[] { (byte) 0xff, (byte) 0xfe, 0x01, 0x02 });
			assertThat(client.awaitCloseCode()).isEqualTo(1007);
		}
	}

	@Test
	void closesWith1007OnACompressedFrameThatInflatesToNothing() {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws/limited", DEFLATE)) {
			client.sendFrame(true, 4, RawWebSocket.TEXT, new byte[] { 0x02, 0x00 });
			assertThat(client.awaitCloseCode()).isEqualTo(1007);
		}
	}

	private static byte[] deflate(byte[] data) {
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
		deflater.setInput(data);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int count;
		while ((count = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
			out.write(buffer, 0, count);
		}
		deflater.end();
		byte[] bytes = out.toByteArray();
		// RFC 7692: the sender drops the trailing 0x00 0x00 0xff 0xff of the sync flush.
		return Arrays.copyOf(bytes, bytes.length - 4);
	}

	private static byte[] inflate(byte[] data) throws DataFormatException {
		Inflater inflater = new Inflater(true);
		byte[] input = Arrays.copyOf(data, data.length + 4);
		input[input.length - 2] = (byte) 0xff;
		input[input.length - 1] = (byte) 0xff;
		inflater.setInput(input);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int count;
		while ((count = inflater.inflate(buffer)) > 0) {
			out.write(buffer, 0, count);
		}
		inflater.end();
		return out.toByteArray();
	}

}
