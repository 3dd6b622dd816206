package dev.switchboard.test;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A WebSocket client written against the raw TCP socket, frame by frame, to send what a
 * well-behaved client never would (reserved bits, invalid UTF-8, oversized control
 * frames) and to behave as a dead or slow client (never reading, never answering pings).
 *
 * @since 0.1.0
 */
public final class RawWebSocket implements AutoCloseable {

	/**
	 * Text frame opcode.
	 */
	public static final int TEXT = 0x1;

	/**
	 * Binary frame opcode.
	 */
	public static final int BINARY = 0x2;

	/**
	 * Continuation frame opcode.
	 */
	public static final int CONTINUATION = 0x0;

	/**
	 * Close frame opcode.
	 */
	public static final int CLOSE = 0x8;

	/**
	 * Ping frame opcode.
	 */
	public static final int PING = 0x9;

	/**
	 * Pong frame opcode.
	 */
	public static final int PONG = 0xA;

	private static final SecureRandom random = new SecureRandom();

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private final String responseHead;

	private final String responseBody;

	private RawWebSocket(Socket socket, String responseHead) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
		this.out = socket.getOutputStream();
		this.responseHead = responseHead;
		this.responseBody = readBody(this.in, responseHead);
	}

	private static String readBody(InputStream in, String head) throws IOException {
		for (String line : head.split("\r\n")) {
			if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
				int length = Integer.parseInt(line.substring("content-length:".length()).trim());
				return new String(in.readNBytes(length), StandardCharsets.UTF_8);
			}
		}
		return "";
	}

	/**
	 * Performs the handshake and expects 101.
	 * @param port the server's port
	 * @param path the socket's path
	 * @return the connected client
	 */
	public static RawWebSocket connect(int port, String path) {
		return connect(port, path, Map.of());
	}

	/**
	 * Performs the handshake with extra headers and expects 101.
	 * @param port the server's port
	 * @param path the socket's path
	 * @param headers extra headers
	 * @return the connected client
	 */
	public static RawWebSocket connect(int port, String path, Map<String, String> headers) {
		RawWebSocket client = handshake(port, path, headers);
		if (!client.responseHead.startsWith("HTTP/1.1 101")) {
			client.close();
			throw new AssertionError("Handshake refused: " + client.responseHead);
		}
		return client;
	}

	/**
	 * Performs the handshake, whatever the answer.
	 * @param port the server's port
	 * @param path the socket's path
	 * @param headers extra headers, replacing the defaults of the same name
	 * @return the client, upgraded or not
	 */
	public static RawWebSocket handshake(int port, String path, Map<String, String> headers) {
		return handshake("localhost", port, path, headers);
	}

	/**
	 * Performs the handshake with a server of another host, whatever the answer.
	 * @param host the server's host
	 * @param port the server's port
	 * @param path the socket's path, with its query string if any
	 * @param headers extra headers, replacing the defaults of the same name
	 * @return the client, upgraded or not
	 */
	public static RawWebSocket handshake(String host, int port, String path, Map<String, String> headers) {
		try {
			Socket socket = new Socket(host, port);
			socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
			byte[] key = new byte[16];
			random.nextBytes(key);
			Map<String, String> all = new LinkedHashMap<>();
			all.put("Host", host + ":" + port);
			all.put("Upgrade", "websocket");
			all.put("Connection", "Upgrade");
			all.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(key));
			all.put("Sec-WebSocket-Version", "13");
			all.putAll(headers);
			StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
			all.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
			request.append("\r\n");
			socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			return new RawWebSocket(socket, readHead(socket.getInputStream()));
		}
		catch (IOException ex) {
			throw new AssertionError("Handshake failed", ex);
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b == -1) {
				break;
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	/**
	 * Status line and headers of the handshake response.
	 * @return the response head
	 */
	public String responseHead() {
		return this.responseHead;
	}

	/**
	 * Body of a refused handshake's response.
	 * @return the body, empty after an upgrade
	 */
	public String responseBody() {
		return this.responseBody;
	}

	/**
	 * Sends a text message in one frame.
	 * @param text the text
	 */
	public void sendText(String text) {
		sendFrame(true, 0, TEXT, text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Sends a close frame.
	 * @param code the close code, sent as it is, valid or not
	 * @param reason the reason
	 */
	public void sendClose(int code, String reason) {
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		byte[] payload = new byte[text.length + 2];
		payload[0] = (byte) (code >> 8);
		payload[1] = (byte) code;
		System.arraycopy(text, 0, payload, 2, text.length);
		sendFrame(true, 0, CLOSE, payload);
	}

	/**
	 * Sends a close frame without a code.
	 */
	public void sendEmptyClose() {
		sendFrame(true, 0, CLOSE, new byte[0]);
	}

	/**
	 * Sends one masked frame.
	 * @param fin whether it is the final fragment
	 * @param rsv the reserved bits, 0 to 7
	 * @param opcode the opcode
	 * @param payload the payload
	 */
	public void sendFrame(boolean fin, int rsv, int opcode, byte[] payload) {
		send(frame(fin, rsv, opcode, payload));
	}

	/**
	 * Sends frames in one write, so that the server reads them together.
	 * @param frames the frames, from {@link #frame}
	 */
	public void send(byte[]... frames) {
		try {
			ByteArrayOutputStream all = new ByteArrayOutputStream();
			for (byte[] frame : frames) {
				all.write(frame);
			}
			this.out.write(all.toByteArray());
			this.out.flush();
		}
		catch (IOException ex) {
			throw new AssertionError("Could not send a frame", ex);
		}
	}

	/**
	 * Encodes one masked frame.
	 * @param fin whether it is the final fragment
	 * @param rsv the reserved bits, 0 to 7
	 * @param opcode the opcode
	 * @param payload the payload
	 * @return the frame's bytes
	 */
	public static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
		int length = payload.length;
		if (length < 126) {
			frame.write(0x80 | length);
		}
		else if (length < 65536) {
			frame.write(0x80 | 126);
			frame.write(length >> 8);
			frame.write(length);
		}
		else {
			frame.write(0x80 | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				frame.write((int) ((long) length >> shift));
			}
		}
		byte[] mask = new byte[4];
		random.nextBytes(mask);
		frame.write(mask, 0, 4);
		for (int i = 0; i < length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		return frame.toByteArray();
	}

	/**
	 * Reads the next frame.
	 * @return the frame, or {@code null} when the server closed the TCP connection
	 */
	public @Nullable RawFrame readFrame() {
		try {
			int first = this.in.read();
			if (first == -1) {
				return null;
			}
			int second = readByte();
			long length = second & 0x7f;
			if (length == 126) {
				length = (readByte() << 8) | readByte();
			}
			else if (length == 127) {
				length = 0;
				for (int i = 0; i < 8; i++) {
					length = (length << 8) | readByte();
				}
			}
			byte[] payload = this.in.readNBytes((int) length);
			if (payload.length < length) {
				return null;
			}
			return new RawFrame((first & 0x80) != 0, (first >> 4) & 0x7, first & 0xf, payload);
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("No frame within " + Await.TIMEOUT, ex);
		}
		catch (IOException ex) {
			return null;
		}
	}

	private int readByte() throws IOException {
		int b = this.in.read();
		if (b == -1) {
			throw new EOFException();
		}
		return b;
	}

	/**
	 * Reads frames until the close frame, skipping others.
	 * @return the close frame's code, or 1006 when the TCP connection closed without one
	 */
	public int awaitCloseCode() {
		RawFrame frame;
		while ((frame = readFrame()) != null) {
			if (frame.opcode() == CLOSE) {
				return frame.closeCode();
			}
		}
		return 1006;
	}

	/**
	 * Drops the TCP connection with a reset (RST), as a crashed client or a middlebox
	 * would, rather than with a FIN.
	 */
	public void reset() {
		try {
			this.socket.setSoLinger(true, 0);
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	/**
	 * The raw output stream, for clients that write what no frame method sends.
	 * @return the stream
	 */
	public OutputStream output() {
		return this.out;
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	/**
	 * A frame as it came off the wire.
	 *
	 * @param fin whether it is the final fragment
	 * @param rsv the reserved bits
	 * @param opcode the opcode
	 * @param payload the payload
	 */
	public record RawFrame(boolean fin, int rsv, int opcode, byte[] payload) {

		/**
		 * The code of a close frame.
		 * @return the code, 1005 when the frame has none
		 */
		public int closeCode() {
			return (this.payload.length >= 2) ? ((this.payload[0] & 0xff) << 8) | (this.payload[1] & 0xff) : 1005;
		}

		/**
		 * The reason of a close frame.
		 * @return the reason
		 */
		public String closeReason() {
			return (this.payload.length > 2)
					? new String(this.payload, 2, this.payload.length - 2, StandardCharsets.UTF_8) : "";
		}

	}

}
