package dev.switchboard.sockets;

import java.util.concurrent.CompletableFuture;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

@Socket("returns")
class ReturnsSocket {

	@OnMessage("void")
	void nothing(SocketConnection connection) {
		connection.send("sent by void").subscribe();
	}

	@OnMessage("mono-void")
	Mono<Void> monoVoid(SocketConnection connection) {
		return connection.send("sent by mono-void");
	}

	@OnMessage("object")
	Value object() {
		return new Value("object", 1);
	}

	@OnMessage("string")
	String string() {
		return "plain text";
	}

	@OnMessage("bytes")
	byte[] bytes() {
		return new byte[] { 1, 2, 3 };
	}

	@OnMessage("mono")
	Mono<Value> mono() {
		return Mono.just(new Value("mono", 2));
	}

	@OnMessage("flux")
	Flux<Value> flux() {
		return Flux.range(1, 3).map((n) -> new Value("flux", n));
	}

	@OnMessage("future")
	CompletableFuture<Value> future() {
		return CompletableFuture.supplyAsync(() -> new Value("future", 4));
	}

	@OnMessage("own-id")
	Owned ownId() {
		return new Owned("own", "mine");
	}

	record Value(String type, int n) {
	}

	record Owned(String type, String id) {
	}

}
