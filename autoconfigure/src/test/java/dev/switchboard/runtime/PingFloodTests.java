package dev.switchboard.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.fixtures.ClusterTestApplication;
import dev.switchboard.fixtures.EventLog;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that pings as fast as it can and never reads the pongs: the server holds at
 * most the outbound buffer for it, stops reading from it, and closes it with 1013 once
 * the network has taken nothing for the write timeout. Pongs used to bypass the buffer,
 * and such a client could fill the heap.
 */
@SpringBootTest(classes = ClusterTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "switchboard.outbound.buffer-size=16KB", "switchboard.outbound.write-timeout=1s",
				"switchboard.close-timeout=1s" })
class PingFloodTests {

	private static final long BUFFER_SIZE = 16 * 1024;

	@LocalServerPort
	int port;

	@Autowired
	SwitchboardServer server;

	@Autowired
	EventLog events;

	@Autowired
	MeterRegistry meters;

	@Test
	void holdsAtMostTheOutboundBufferForAClientThatPingsWithoutReadingAndClosesIt() throws Exception {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws/lifecycle?user=flooder")) {
			String id = new String(client.readFrame().payload(), StandardCharsets.UTF_8).substring("hello ".length());
			NettySocketConnection connection = this.server.localConnection(id);
			AtomicLong pings = new AtomicLong();
			Thread flooder = new Thread(() -> {
				byte[] payload = new byte[125];
				try {
					while (true) {
						client.sendFrame(true, 0, RawWebSocket.PING, payload);
						pings.incrementAndGet();
					}
				}
				catch (AssertionError ex) {
					// The server closed the connection.
				}
			}, "ping-flooder");
			flooder.start();
			long held = 0;
			boolean readingPaused = false;
			long deadline = System.nanoTime() + WsClient.TIMEOUT.toNanos();
			while (connection.isOpen() && System.nanoTime() < deadline) {
				held = Math.max(held, connection.heldBytes());
				Channel channel = connection.channel();
				readingPaused |= !channel.isWritable() && !channel.config().isAutoRead();
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
			CloseStatus status = this.events.disconnected(id).status();
			System.out.println("Ping flood: " + pings.get() + " pings sent, at most " + held
					+ " bytes held for the client, closed with " + status);
			assertThat(held).isLessThanOrEqualTo(BUFFER_SIZE);
			assertThat(readingPaused).as("reading paused while the network took nothing").isTrue();
			// Not an overflow: reading paused before the buffer filled, and the client,
			// which read nothing, was closed once the write timeout passed.
			assertThat(status).isEqualTo(new CloseStatus(1013, "write timeout"));
			assertThat(this.meters.get("switchboard.connections.slow")
				.tags("socket", "lifecycle", "reason", "write-timeout")
				.counter()
				.count()).isEqualTo(1);
			flooder.join(Duration.ofSeconds(10).toMillis());
			assertThat(flooder.isAlive()).as("the flooder's connection is closed").isFalse();
		}
	}

}
