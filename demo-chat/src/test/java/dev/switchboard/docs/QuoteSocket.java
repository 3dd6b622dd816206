package dev.switchboard.docs;

import java.math.BigDecimal;
import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

// tag::timeouts[]
@Socket(name = "quotes", concurrency = 8, handlerTimeout = "2s")
class QuoteSocket {

	@OnMessage("quote")
	Mono<Quote> quote(QuoteRequest request) {
		return Mono.just(new Quote(request.symbol(), BigDecimal.TEN));
	}

	@OnMessage(value = "report", timeout = "60s")
	Report report(QuoteRequest request) {
		return new Report(request.symbol(), "a report that takes a while to build");
	}

	@OnMessage(value = "ticks", timeout = "0")
	Flux<Quote> ticks(QuoteRequest request) {
		return Flux.interval(Duration.ofSeconds(5)).take(12).map((tick) -> new Quote(request.symbol(), BigDecimal.ONE));
	}

	record QuoteRequest(String symbol) {
	}

	record Quote(String symbol, BigDecimal price) {
	}

	record Report(String symbol, String text) {
	}

}
// end::timeouts[]
