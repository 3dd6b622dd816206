package dev.switchboard.sockets;

import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

/**
 * Needs an authenticated user.
 */
@Socket(name = "secure", authenticated = true)
class SecureSocket {

	private final EventLog events;

	SecureSocket(EventLog events) {
		this.events = events;
	}

	@OnConnect
	String connect(SocketConnection connection) {
		this.events.record("secure connected " + connection.user());
		return "hello " + connection.user();
	}

	@OnMessage
	String echo(String text) {
		return text;
	}

}
