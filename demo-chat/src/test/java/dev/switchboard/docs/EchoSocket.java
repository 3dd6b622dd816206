package dev.switchboard.docs;

import dev.switchboard.InboundMessage;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

// tag::echo[]
@Socket("echo")
class EchoSocket {

	@OnMessage
	Object echo(InboundMessage message) {
		if (message.isText()) {
			return message.text(); // a String: one text frame
		}
		return message.bytes(); // a byte[]: one binary frame
	}

}
// end::echo[]
