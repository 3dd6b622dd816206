package dev.switchboard.docs;

import java.math.BigDecimal;

import reactor.core.publisher.Mono;

import dev.switchboard.Switchboard;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

// tag::ordered[]
@Socket(name = "ticker", concurrency = 64, ordered = true)
class TickerSocket {

	private final Switchboard switchboard;

	TickerSocket(Switchboard switchboard) {
		this.switchboard = switchboard;
	}

	@OnMessage("tick")
	Mono<Void> tick(Tick tick) {
		return this.switchboard.toRoom(tick.symbol()).send(tick).then();
	}

	record Tick(String symbol, BigDecimal price) {
	}

}
// end::ordered[]
