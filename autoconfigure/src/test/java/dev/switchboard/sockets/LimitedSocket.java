package dev.switchboard.sockets;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.OnDisconnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

/**
 * A socket with a small message size limit, for the conformance tests.
 */
@Socket(name = "limited", maxMessageSize = "1KB")
class LimitedSocket {

	static final AtomicInteger handled = new AtomicInteger();

	private final EventLog events;

	LimitedSocket(EventLog events) {
		this.events = events;
	}

	@OnMessage
	String echo(String text) {
		handled.incrementAndGet();
		return "echo:" + text;
	}

	@OnDisconnect
	void disconnected(SocketConnection connection, CloseStatus status) {
		this.events.record(new EventLog.Disconnected(connection.socket(), connection.id(), status));
	}

}
