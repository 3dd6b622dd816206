package dev.switchboard.docs;

import reactor.core.publisher.Mono;

import dev.switchboard.SendResult;
import dev.switchboard.SocketConnection;
import dev.switchboard.Switchboard;
import dev.switchboard.annotation.Attribute;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

// tag::authenticated[]
@Socket(name = "admin-console", authenticated = true)
class AdminConsoleSocket {

	private final Switchboard switchboard;

	AdminConsoleSocket(Switchboard switchboard) {
		this.switchboard = switchboard;
	}

	@OnConnect
	Welcome connected(SocketConnection connection, @Attribute String role) {
		return new Welcome(connection.user(), role);
	}

	@OnMessage("announce")
	Mono<SendResult> announce(Announcement announcement) {
		return this.switchboard.broadcast("chat", announcement);
	}

	record Welcome(String user, String role) {
	}

	record Announcement(String text) {
	}

}
// end::authenticated[]
