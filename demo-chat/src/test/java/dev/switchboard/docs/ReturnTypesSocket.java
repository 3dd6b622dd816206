package dev.switchboard.docs;

import java.util.concurrent.CompletableFuture;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

@Socket("status")
class ReturnTypesSocket {

	// tag::return-types[]
	@OnMessage("touch")
	void touch(SocketConnection connection) {
		// nothing is sent back
	}

	@OnMessage("status")
	Status status() {
		return new Status("up"); // one JSON text frame
	}

	@OnMessage("motd")
	String motd() {
		return "Welcome!"; // one text frame, sent as is
	}

	@OnMessage("logo")
	byte[] logo() {
		return new byte[] { (byte) 0x89, 'P', 'N', 'G' }; // one binary frame
	}

	@OnMessage("history")
	Flux<Line> history() {
		return Flux.just(new Line("first"), new Line("second")); // one frame per element
	}

	@OnMessage("check")
	Mono<Status> check() {
		return Mono.just(new Status("checked"));
	}

	@OnMessage("later")
	CompletableFuture<Status> later() {
		return CompletableFuture.completedFuture(new Status("done"));
	}
	// end::return-types[]

	record Status(String status) {
	}

	record Line(String text) {
	}

}
