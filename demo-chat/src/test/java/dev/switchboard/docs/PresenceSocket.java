package dev.switchboard.docs;

import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.SocketConnection;
import dev.switchboard.Switchboard;
import dev.switchboard.annotation.OnDisconnect;
import dev.switchboard.annotation.Socket;

// tag::on-disconnect[]
@Socket("presence")
class PresenceSocket {

	private final Switchboard switchboard;

	PresenceSocket(Switchboard switchboard) {
		this.switchboard = switchboard;
	}

	@OnDisconnect
	Mono<Void> left(SocketConnection connection, CloseStatus status) {
		return Flux.fromIterable(connection.rooms())
			.flatMap((room) -> this.switchboard.toRoom(room).send(new Left(connection.id(), room, status.getCode())))
			.then();
	}

	record Left(String connectionId, String room, int code) {
	}

}
// end::on-disconnect[]
