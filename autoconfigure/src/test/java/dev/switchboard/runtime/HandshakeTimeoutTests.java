package dev.switchboard.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Connections that never complete their handshake, sending nothing or half a request, are
 * closed once the handshake timeout has passed since their accept, while other clients
 * get in; plain HTTP connections are not the timeout's business.
 */
@TestPropertySource(properties = "switchboard.handshake-timeout=1s")
class HandshakeTimeoutTests extends SocketTestSupport {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final Duration ALLOWANCE = Duration.ofMillis(500);

	private static final int HALF_OPEN = 2000;

	@Autowired
	MeterRegistry meters;

	@Test
	void closesTwoThousandHalfOpenConnectionsWithinTheTimeoutWhileAClientGetsIn() throws IOException {
		List<Socket> halfOpen = new ArrayList<>();
		try {
			long started = System.nanoTime();
			for (int i = 0; i < HALF_OPEN; i++) {
				Socket socket = new Socket("localhost", this.port);
				if (i % 2 == 1) {
					socket.getOutputStream()
						.write("GET /ws/greeting HTTP/1.1\r\nHost: localhost\r\nUpgr"
							.getBytes(StandardCharsets.US_ASCII));
				}
				halfOpen.add(socket);
			}
			try (WsClient client = connect("/ws/greeting")) {
				assertThat(client.nextText()).startsWith("hello ");
			}
			halfOpen.get(0).setSoTimeout((int) WsClient.TIMEOUT.toMillis());
			assertThat(halfOpen.get(0).getInputStream().read()).isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the first closed after the timeout")
				.isGreaterThanOrEqualTo(TIMEOUT);
			for (Socket socket : halfOpen) {
				socket.setSoTimeout((int) WsClient.TIMEOUT.toMillis());
				assertThat(socket.getInputStream().read()).as("read from a half-open connection").isEqualTo(-1);
			}
			Duration closedAfter = Duration.ofNanos(System.nanoTime() - started);
			System.out.println("Closed " + HALF_OPEN + " half-open connections " + closedAfter.toMillis()
					+ " ms after the first was opened, with a handshake timeout of " + TIMEOUT.toMillis() + " ms");
			assertThat(closedAfter).isLessThan(TIMEOUT.plus(WsClient.TIMEOUT));
		}
		finally {
			for (Socket socket : halfOpen) {
				socket.close();
			}
		}
	}

	@Test
	void closesAConnectionThatSendsNothingOrHalfARequestWithinTheTimeoutOfItsAccept() throws IOException {
		for (String sent : new String[] { "", "GET /ws/greeting HTTP/1.1\r\nHost: localh" }) {
			// Before the connect: the server times the connection from its accept.
			long started = System.nanoTime();
			try (Socket socket = new Socket("localhost", this.port)) {
				socket.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
				socket.setSoTimeout((int) WsClient.TIMEOUT.toMillis());
				assertThat(socket.getInputStream().read()).isEqualTo(-1);
				// The timer runs on the connection's event loop: what it allows beyond
				// the
				// timeout is scheduling, a few milliseconds on an idle machine.
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(TIMEOUT, TIMEOUT.plus(ALLOWANCE));
			}
		}
	}

	@Test
	void countsEachConnectionClosedForTheHandshakeTimeout() throws IOException {
		Counter timeouts = this.meters.get("switchboard.handshakes.timeouts").counter();
		double before = timeouts.count();
		try (Socket silent = new Socket("localhost", this.port); Socket slow = new Socket("localhost", this.port)) {
			slow.getOutputStream().write("GET /ws/greeting HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
			for (Socket socket : new Socket[] { silent, slow }) {
				socket.setSoTimeout((int) WsClient.TIMEOUT.toMillis());
				assertThat(socket.getInputStream().read()).isEqualTo(-1);
			}
		}
		assertThat(timeouts.count()).isEqualTo(before + 2);
	}

	@Test
	void closesAHandshakeStillBeingAdmittedAtTheTimeout() throws IOException {
		// Before the connect: the server times the connection from its accept.
		long started = System.nanoTime();
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.getOutputStream()
				.write(("GET /ws/secure HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
						+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
						+ "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer never\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			socket.setSoTimeout((int) WsClient.TIMEOUT.toMillis());
			// The authenticator never answers: no response, and the connection closed.
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(TIMEOUT);
		}
	}

	@Test
	void leavesAPlainHttpConnectionOpenPastTheTimeout() throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			InputStream in = socket.getInputStream();
			String request = "GET /actuator/health HTTP/1.1\r\nHost: localhost\r\n\r\n";
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			assertThat(readResponseHead(in)).startsWith("HTTP/1.1 ");
			in.skip(in.available());
			socket.setSoTimeout((int) TIMEOUT.multipliedBy(2).toMillis());
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(in::read);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			assertThat(readResponseHead(in)).startsWith("HTTP/1.1 ");
		}
	}

	@Test
	void upgradesAConnectionThatServedPlainHttpBefore() throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			InputStream in = socket.getInputStream();
			socket.setSoTimeout((int) WsClient.TIMEOUT.toMillis());
			socket.getOutputStream()
				.write("GET /actuator/health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			skipBody(in, readResponseHead(in));
			socket.getOutputStream()
				.write(("GET /ws/greeting HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
						+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
						+ "Sec-WebSocket-Version: 13\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			assertThat(readResponseHead(in)).startsWith("HTTP/1.1 101");
		}
	}

	private static void skipBody(InputStream in, String head) throws IOException {
		for (String line : head.split("\r\n")) {
			if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
				in.readNBytes(Integer.parseInt(line.substring("content-length:".length()).trim()));
				return;
			}
		}
		throw new AssertionError("No Content-Length in " + head);
	}

	private static String readResponseHead(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b == -1) {
				break;
			}
			head.append((char) b);
		}
		return head.toString();
	}

}
