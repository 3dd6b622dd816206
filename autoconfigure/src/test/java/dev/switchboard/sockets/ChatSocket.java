package dev.switchboard.sockets;

import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Mono;

import dev.switchboard.SocketConnection;
import dev.switchboard.Switchboard;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnDisconnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.QueryParam;
import dev.switchboard.annotation.Socket;

/**
 * A chat socket for the sending tests: connections say hello with their id, join the room
 * of their {@code room} parameter, and relay to their room.
 */
@Socket("chat")
class ChatSocket {

	private final Switchboard switchboard;

	private final EventLog events;

	ChatSocket(Switchboard switchboard, EventLog events) {
		this.switchboard = switchboard;
		this.events = events;
	}

	@OnConnect
	Mono<Hello> connect(SocketConnection connection, @QueryParam String room) {
		Mono<Void> join = (room != null) ? connection.join(room) : Mono.empty();
		return join.thenReturn(new Hello("hello", connection.id()));
	}

	@OnMessage("say")
	Mono<Void> say(SocketConnection connection, Say say) {
		return this.switchboard.toRoom(say.room())
			.except(connection.id())
			.send(new Said("said", connection.user(), say.text()))
			.then();
	}

	@OnMessage("join")
	Mono<Joined> join(SocketConnection connection, Say say) {
		return this.switchboard.join(connection.id(), say.room()).thenReturn(new Joined("joined", say.room()));
	}

	@OnDisconnect
	void disconnected(SocketConnection connection, CloseStatus status) {
		this.events.record(new EventLog.Disconnected(connection.socket(), connection.id(), status));
	}

	record Hello(String type, String connectionId) {
	}

	record Say(String room, String text) {
	}

	record Said(String type, String from, String text) {
	}

	record Joined(String type, String room) {
	}

}
