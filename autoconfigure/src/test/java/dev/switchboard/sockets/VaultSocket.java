package dev.switchboard.sockets;

import reactor.core.publisher.Mono;

import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.Attribute;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

/**
 * Guarded by the test interceptor: admins only, its messages censored.
 */
@Socket("vault")
class VaultSocket {

	private final EventLog events;

	VaultSocket(EventLog events) {
		this.events = events;
	}

	@OnConnect
	String connect(SocketConnection connection, @Attribute String clearance, @Attribute Boolean greeted) {
		this.events.record("vault connected " + connection.user());
		return "clearance " + clearance + ", greeted " + greeted;
	}

	@OnMessage("join")
	Mono<String> join(SocketConnection connection, Room room) {
		return connection.join(room.room()).thenReturn("joined " + room.room());
	}

	@OnMessage("shred")
	String shred() {
		this.events.record("vault shredded");
		return "shredded";
	}

	@OnMessage({ "seal", "melt" })
	String guarded() {
		this.events.record("vault guarded route ran");
		return "ran";
	}

	@OnMessage
	String echo(String text) {
		this.events.record("vault handled " + text);
		return "vault: " + text;
	}

	record Room(String room) {
	}

}
