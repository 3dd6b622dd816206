package dev.switchboard.runtime;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.switchboard.Switchboard;
import dev.switchboard.fixtures.EventLog;
import dev.switchboard.fixtures.SocketsTestApplication;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

/**
 * Runs the test application on a random port, shared by the end-to-end tests.
 */
@SpringBootTest(classes = SocketsTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class SocketTestSupport {

	@LocalServerPort
	int port;

	@Autowired
	EventLog events;

	@Autowired
	Switchboard switchboard;

	URI uri(String path) {
		return URI.create("ws://localhost:" + this.port + path);
	}

	WsClient connect(String path) {
		return WsClient.connect(uri(path));
	}

	RawWebSocket raw(String path) {
		return RawWebSocket.connect(this.port, path);
	}

	/**
	 * A 32 KB binary payload.
	 */
	static byte[] chunk() {
		byte[] chunk = new byte[32 * 1024];
		java.util.Arrays.fill(chunk, (byte) 'x');
		return chunk;
	}

	/**
	 * Reads the hello of the greeting socket.
	 */
	static String greetingId(RawWebSocket client) {
		String hello = new String(client.readFrame().payload(), StandardCharsets.UTF_8);
		return hello.substring("hello ".length());
	}

}
