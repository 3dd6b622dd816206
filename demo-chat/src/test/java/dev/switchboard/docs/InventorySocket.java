package dev.switchboard.docs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import dev.switchboard.annotation.NonBlocking;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

// tag::threading[]
@Socket("inventory")
class InventorySocket {

	private final StockRepository repository;

	private final ReactiveStockRepository reactiveRepository;

	private final Map<String, Integer> cachedCounts = new ConcurrentHashMap<>();

	InventorySocket(StockRepository repository, ReactiveStockRepository reactiveRepository) {
		this.repository = repository;
		this.reactiveRepository = reactiveRepository;
	}

	// Runs on the bounded scheduler: it may block.
	@OnMessage("stock")
	Stock stock(StockQuery query) {
		int count = this.repository.count(query.item());
		this.cachedCounts.put(query.item(), count);
		return new Stock(query.item(), count);
	}

	// Declared not to block: runs on the event loop, as a reactive method does.
	@NonBlocking
	@OnMessage("stock-cached")
	Stock cachedStock(StockQuery query) {
		return new Stock(query.item(), this.cachedCounts.getOrDefault(query.item(), 0));
	}

	// Runs on the connection's event loop: it must not block.
	@OnMessage("stock-reactive")
	Mono<Stock> reactiveStock(StockQuery query) {
		return this.reactiveRepository.count(query.item()).map((count) -> new Stock(query.item(), count));
	}

	interface StockRepository {

		int count(String item);

	}

	interface ReactiveStockRepository {

		Mono<Integer> count(String item);

	}

	record StockQuery(String item) {
	}

	record Stock(String item, int count) {
	}

}
// end::threading[]
