package dev.switchboard.docs.readme;

import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

// The quick start of README.md, in a package of its own: the docs package has a
// ChatSocket already. The formatter would not keep the comments aligned.
// @formatter:off
// tag::quick-start[]
@Socket("chat")                                        // ws://localhost:8080/ws/chat
class ChatSocket {

	@OnMessage("say")                                  // {"type": "say", "text": "hi"}
	Said say(SocketConnection connection, Say say) {
		return new Said(connection.id(), say.text());  // the reply goes back to the sender
	}

	record Say(String text) {
	}

	record Said(String from, String text) {
	}

}
// end::quick-start[]
// @formatter:on
