package dev.switchboard.sockets;

import java.time.Duration;

import reactor.core.publisher.Mono;

import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

@Socket("threads")
class ThreadsSocket {

	@OnMessage("blocking")
	String blocking() {
		return Thread.currentThread().getName();
	}

	@OnMessage("reactive")
	Mono<String> reactive() {
		return Mono.fromSupplier(() -> Thread.currentThread().getName());
	}

	/**
	 * Answers after a delay that shrinks with the sequence number, so that out-of-order
	 * handling would answer out of order.
	 */
	@OnMessage("delayed")
	Mono<String> delayed(Sequenced message) {
		return Mono.delay(Duration.ofMillis(Math.max(0, 30 - message.n() * 3))).thenReturn("done:" + message.n());
	}

	record Sequenced(int n) {
	}

}
