package dev.switchboard.sockets;

import java.util.concurrent.CountDownLatch;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.ConnectionRejectedException;
import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnDisconnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.QueryParam;
import dev.switchboard.annotation.Socket;

/**
 * A socket whose connections can end in every way: it says hello with the connection's
 * id, echoes text with a plain (blocking) method, closes the connection from a handler on
 * {@code kick}, blocks on {@code stall} until its timeout interrupts it, fails its
 * {@code @OnConnect} with {@code ?fail=true}, and records each disconnect.
 */
@Socket("lifecycle")
class LifecycleSocket {

	private final EventLog events;

	LifecycleSocket(EventLog events) {
		this.events = events;
	}

	@OnConnect
	String hello(SocketConnection connection, @QueryParam String fail) {
		if ("true".equals(fail)) {
			throw new IllegalStateException("@OnConnect failed on purpose");
		}
		return "hello " + connection.id();
	}

	@OnMessage("kick")
	String kick() {
		throw new ConnectionRejectedException(HttpStatus.FORBIDDEN, CloseStatus.POLICY_VIOLATION, "kicked");
	}

	/**
	 * Blocks until its timeout interrupts it, as a handler stuck on a slow call would.
	 */
	@OnMessage(value = "stall", timeout = "100ms")
	String stall() throws InterruptedException {
		new CountDownLatch(1).await();
		return "never";
	}

	@OnMessage
	String echo(String text) {
		return text;
	}

	@OnDisconnect
	void disconnected(SocketConnection connection, CloseStatus status) {
		this.events.record(new EventLog.Disconnected(connection.socket(), connection.id(), status));
	}

}
