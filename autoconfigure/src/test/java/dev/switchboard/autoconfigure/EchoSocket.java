package dev.switchboard.autoconfigure;

import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

/**
 * A socket without a name, which takes the name of its bean: a top-level class, named as
 * component scanning names it.
 */
@Socket
class EchoSocket {

	@OnMessage
	String echo(String text) {
		return text;
	}

}
