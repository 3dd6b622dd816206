package dev.switchboard.demo;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

import dev.switchboard.SocketConnection;
import dev.switchboard.Switchboard;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.QueryParam;
import dev.switchboard.annotation.Socket;

/**
 * The chat: everyone joins the lobby, and what is said in a room reaches everyone in it.
 */
@Socket("chat")
class ChatSocket {

	private final Switchboard switchboard;

	ChatSocket(Switchboard switchboard) {
		this.switchboard = switchboard;
	}

	@OnConnect
	Mono<Welcome> connect(SocketConnection connection, @QueryParam("name") String name) {
		String nickname = (name != null && !name.isBlank()) ? name.strip() : "guest";
		connection.attributes().put("name", nickname);
		return connection.join("lobby").thenReturn(new Welcome("welcome", nickname, "lobby"));
	}

	@OnMessage("say")
	Mono<Void> say(SocketConnection connection, @Valid Say say) {
		String name = connection.attribute("name");
		return this.switchboard.toRoom(say.room()).send(new Said("said", say.room(), name, say.text())).then();
	}

	record Welcome(String type, String name, String room) {
	}

	record Say(@NotBlank String room, @NotBlank @Size(max = 500) String text) {
	}

	record Said(String type, String room, String from, String text) {
	}

}
