package dev.switchboard.docs.start;

// tag::socket[]
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Mono;

import dev.switchboard.SocketConnection;
import dev.switchboard.Switchboard;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnDisconnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

@Socket("chat")
class ChatSocket {

	private static final Log logger = LogFactory.getLog(ChatSocket.class);

	private final Switchboard switchboard;

	ChatSocket(Switchboard switchboard) {
		this.switchboard = switchboard;
	}

	@OnConnect
	Mono<Void> connected(SocketConnection connection) {
		return connection.join("lobby");
	}

	@OnMessage("say")
	Mono<Void> say(SocketConnection connection, Say say) {
		return this.switchboard.toRoom("lobby").send(new Said(connection.id(), say.text())).then();
	}

	@OnMessage("ping")
	Pong ping() {
		return new Pong(Instant.now());
	}

	@OnDisconnect
	void disconnected(SocketConnection connection, CloseStatus status) {
		logger.info("Connection " + connection.id() + " closed with " + status.getCode());
	}

	record Say(String text) {
	}

	record Said(String from, String text) {
	}

	record Pong(Instant time) {
	}

}
// end::socket[]
