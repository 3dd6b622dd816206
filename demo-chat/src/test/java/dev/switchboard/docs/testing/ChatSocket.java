package dev.switchboard.docs.testing;

// tag::socket[]
import reactor.core.publisher.Mono;

import dev.switchboard.ConnectionRejectedException;
import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

@Socket(value = "chat", authenticated = true)
class ChatSocket {

	@OnConnect
	Mono<Void> connected(SocketConnection connection) {
		if ("closed".equals(connection.queryParams().getFirst("room"))) {
			throw new ConnectionRejectedException("room closed");
		}
		return connection.send(new Welcome("welcome", connection.user()));
	}

	@OnMessage("echo")
	Echo echo(Echo echo) {
		return echo;
	}

	@OnMessage("join")
	Mono<Joined> join(SocketConnection connection, Join join) {
		return connection.join(join.room()).thenReturn(new Joined("joined", join.room()));
	}

	record Welcome(String type, String user) {
	}

	record Echo(String text) {
	}

	record Join(String room) {
	}

	record Joined(String type, String room) {
	}

}
// end::socket[]
