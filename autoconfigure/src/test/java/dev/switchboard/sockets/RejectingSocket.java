package dev.switchboard.sockets;

import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.ConnectionRejectedException;
import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnDisconnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.QueryParam;
import dev.switchboard.annotation.Socket;

/**
 * Rejects or fails connections in {@code @OnConnect} on demand.
 */
@Socket("rejecting")
class RejectingSocket {

	private final EventLog events;

	RejectingSocket(EventLog events) {
		this.events = events;
	}

	@OnConnect
	void connect(@QueryParam String mode) {
		if ("reject".equals(mode)) {
			throw new ConnectionRejectedException("invitation required");
		}
		if ("fail".equals(mode)) {
			throw new IllegalStateException("secret internals");
		}
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
