package dev.switchboard.sockets;

import java.time.Duration;

import reactor.core.publisher.Mono;

import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

/**
 * Handles up to eight messages of a connection at the same time.
 */
@Socket(name = "concurrent", concurrency = 8)
class ConcurrentSocket {

	@OnMessage
	Mono<String> delayed(ThreadsSocket.Sequenced message) {
		return Mono.delay(Duration.ofMillis(Math.max(0, 30 - message.n() * 3))).thenReturn("done:" + message.n());
	}

}
