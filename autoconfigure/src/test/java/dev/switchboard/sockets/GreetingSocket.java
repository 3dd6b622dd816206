package dev.switchboard.sockets;

import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnDisconnect;
import dev.switchboard.annotation.Socket;

/**
 * Says hello with the connection's id once it is registered, so that tests know it can be
 * reached, and records its disconnect.
 */
@Socket("greeting")
class GreetingSocket {

	private final EventLog events;

	GreetingSocket(EventLog events) {
		this.events = events;
	}

	@OnConnect
	String hello(SocketConnection connection) {
		return "hello " + connection.id();
	}

	@OnDisconnect
	void disconnected(SocketConnection connection, CloseStatus status) {
		this.events.record(new EventLog.Disconnected(connection.socket(), connection.id(), status));
	}

}
