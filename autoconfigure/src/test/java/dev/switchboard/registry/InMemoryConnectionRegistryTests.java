package dev.switchboard.registry;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import dev.switchboard.ConnectionInfo;
import dev.switchboard.registry.ConnectionRegistry.Registration;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryConnectionRegistryTests {

	private final InMemoryConnectionRegistry registry = new InMemoryConnectionRegistry();

	private static ConnectionInfo connection(String id, String user) {
		return new ConnectionInfo(id, "chat", user, "i");
	}

	@Test
	void bringsAUserOnlineWithTheFirstConnectionAndOfflineWithTheLast() {
		assertThat(this.registry.register(connection("1", "ada"), 0).block()).isEqualTo(Registration.CAME_ONLINE);
		assertThat(this.registry.register(connection("2", "ada"), 0).block()).isEqualTo(Registration.REGISTERED);
		assertThat(this.registry.unregister(connection("1", "ada")).block()).isFalse();
		assertThat(this.registry.isOnline("ada").block()).isTrue();
		assertThat(this.registry.unregister(connection("2", "ada")).block()).isTrue();
		assertThat(this.registry.isOnline("ada").block()).isFalse();
		assertThat(this.registry.unregister(connection("2", "ada")).block()).isFalse();
	}

	@Test
	void refusesConnectionsOverThePerUserLimit() {
		this.registry.register(connection("1", "ada"), 2).block();
		this.registry.register(connection("2", "ada"), 2).block();
		assertThat(this.registry.register(connection("3", "ada"), 2).block()).isEqualTo(Registration.OVER_LIMIT);
		assertThat(this.registry.countConnections("ada").block()).isEqualTo(2);
	}

	@Test
	void forgetsTheRoomsOfAnUnregisteredConnection() {
		ConnectionInfo connection = connection("1", "ada");
		this.registry.register(connection, 0).block();
		this.registry.join(connection, "lobby").block();
		assertThat(this.registry.membersOf("lobby").collectList().block()).containsExactly(connection);
		this.registry.unregister(connection).block();
		assertThat(this.registry.membersOf("lobby").collectList().block()).isEmpty();
	}

	@Test
	void publishesEachPresenceTransitionOnceUnderConcurrency() {
		AtomicInteger online = new AtomicInteger();
		AtomicInteger offline = new AtomicInteger();
		List<ConnectionInfo> connections = Flux.range(0, 200)
			.map((n) -> connection("c" + n, "busy"))
			.collectList()
			.block();
		Flux.fromIterable(connections)
			.parallel(8)
			.runOn(Schedulers.parallel())
			.flatMap((c) -> this.registry.register(c, 0))
			.filter((registration) -> registration == Registration.CAME_ONLINE)
			.doOnNext((registration) -> online.incrementAndGet())
			.sequential()
			.blockLast();
		Flux.fromIterable(connections)
			.parallel(8)
			.runOn(Schedulers.parallel())
			.flatMap(this.registry::unregister)
			.filter(Boolean::booleanValue)
			.doOnNext((wentOffline) -> offline.incrementAndGet())
			.sequential()
			.blockLast();
		assertThat(online).hasValue(1);
		assertThat(offline).hasValue(1);
	}

}
