package dev.switchboard.docs;

import reactor.core.publisher.Mono;

import dev.switchboard.SocketConnection;
import dev.switchboard.Switchboard;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.PathParam;
import dev.switchboard.annotation.Socket;

// tag::socket[]
@Socket(name = "rooms", path = "/ws/rooms/{room}", maxMessageSize = "16KB", handlerTimeout = "5s",
		allowedOrigins = "https://chat.example.com", subprotocols = { "chat.v2", "chat.v1" }, concurrency = 1)
class RoomSocket {

	private final Switchboard switchboard;

	RoomSocket(Switchboard switchboard) {
		this.switchboard = switchboard;
	}

	@OnConnect
	Mono<Void> entered(SocketConnection connection, @PathParam String room) {
		return connection.join(room);
	}

	@OnMessage
	Mono<Void> relay(SocketConnection connection, @PathParam String room, String text) {
		return this.switchboard.toRoom(room).except(connection.id()).send(text).then();
	}

}
// end::socket[]
