package dev.switchboard.sockets;

import java.nio.ByteBuffer;

import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

/**
 * Takes binary messages in its default method and answers in kind.
 */
@Socket("binary")
class BinarySocket {

	@OnMessage
	byte[] reverse(ByteBuffer buffer) {
		byte[] reversed = new byte[buffer.remaining()];
		for (int i = reversed.length - 1; i >= 0; i--) {
			reversed[i] = buffer.get();
		}
		return reversed;
	}

}
