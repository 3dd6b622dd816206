package dev.switchboard.sockets;

import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

/**
 * A socket without a default method: what no route takes is an error.
 */
@Socket("strict")
class StrictSocket {

	@OnMessage("ping")
	Pong ping() {
		return new Pong("pong");
	}

	record Pong(String type) {
	}

}
