package dev.switchboard.docs;

import reactor.core.publisher.Mono;

import dev.switchboard.SocketConnection;
import dev.switchboard.Switchboard;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.QueryParam;
import dev.switchboard.annotation.Socket;

// tag::recovery[]
@Socket(value = "newsroom", recovery = true)
class NewsroomSocket {

	private final Switchboard switchboard;

	NewsroomSocket(Switchboard switchboard) {
		this.switchboard = switchboard;
	}

	@OnConnect
	Mono<Void> connected(SocketConnection connection, @QueryParam String desk) {
		return connection.join("desk-" + desk); // the stream room:desk-sports
	}

	@OnMessage("post")
	Mono<Void> post(SocketConnection connection, Post post) {
		// Kept in the room's history, then delivered: a page that was away gets it later.
		return this.switchboard.toRoom("desk-" + post.desk()).send(new Posted(connection.user(), post.text())).then();
	}

	record Post(String desk, String text) {
	}

	record Posted(String type, String from, String text) {

		Posted(String from, String text) {
			this("posted", from, text);
		}

	}

}
// end::recovery[]
