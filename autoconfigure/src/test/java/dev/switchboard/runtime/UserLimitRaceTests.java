package dev.switchboard.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.ConnectionInfo;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.InMemoryConnectionRegistry;
import dev.switchboard.registry.RegistryContext;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection that passed the handshake's per-user check while another of its user
 * registered: the registration enforces the limit, and closes it with 1013. The race is
 * staged with a registry whose count lags, as it does for devices connecting at the same
 * moment.
 */
@TestPropertySource(properties = "switchboard.limits.connections-per-user=1")
@Import(UserLimitRaceTests.LaggingCount.class)
class UserLimitRaceTests extends SocketTestSupport {

	@Autowired
	MeterRegistry meters;

	@Test
	void closesWith1013AConnectionThatRacedPastTheHandshakeCheck() {
		try (WsClient first = connect("/ws/greeting?user=racer")) {
			first.next();
			try (WsClient second = connect("/ws/greeting?user=racer")) {
				CloseStatus status = second.awaitClose();
				assertThat(status.getCode()).isEqualTo(1013);
				assertThat(status.getReason()).isEqualTo("too many connections for this user");
				// Refused at its registration, before any hook: no @OnConnect greeting.
				assertThat(second.drain()).isEmpty();
			}
		}
	}

	@Test
	void countsARefusalAtTheRegistrationAsAHandshakeRejectedNotAConnection() {
		double rejected = count("switchboard.handshakes.rejected", "socket", "greeting", "reason", "user-limit",
				"status", "429");
		try (WsClient first = connect("/ws/greeting?user=counted-racer")) {
			first.next();
			double opened = count("switchboard.connections.opened", "socket", "greeting");
			double closed = count("switchboard.connections.closed", "socket", "greeting", "code", "1013");
			try (WsClient second = connect("/ws/greeting?user=counted-racer")) {
				assertThat(second.awaitClose().getCode()).isEqualTo(1013);
			}
			assertThat(count("switchboard.handshakes.rejected", "socket", "greeting", "reason", "user-limit", "status",
					"429"))
				.isEqualTo(rejected + 1);
			assertThat(count("switchboard.connections.opened", "socket", "greeting")).isEqualTo(opened);
			assertThat(count("switchboard.connections.closed", "socket", "greeting", "code", "1013")).isEqualTo(closed);
		}
	}

	private double count(String name, String... tags) {
		Counter counter = this.meters.find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void countsNoAnonymousConnectionAgainstTheLimit() {
		try (WsClient first = connect("/ws/greeting"); WsClient second = connect("/ws/greeting")) {
			assertThat(first.nextText()).startsWith("hello ");
			assertThat(second.nextText()).startsWith("hello ");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class LaggingCount {

		@Bean
		ConnectionRegistry laggingRegistry() {
			return new LaggingRegistry(new InMemoryConnectionRegistry());
		}

	}

	/**
	 * Counts no connection at the handshake; registers as the in-memory registry does.
	 */
	record LaggingRegistry(ConnectionRegistry delegate) implements ConnectionRegistry {

		@Override
		public void attach(RegistryContext context) {
			this.delegate.attach(context);
		}

		@Override
		public Mono<Registration> register(ConnectionInfo connection, int maxConnectionsPerUser) {
			return this.delegate.register(connection, maxConnectionsPerUser);
		}

		@Override
		public Mono<Boolean> unregister(ConnectionInfo connection) {
			return this.delegate.unregister(connection);
		}

		@Override
		public Mono<Void> join(ConnectionInfo connection, String room) {
			return this.delegate.join(connection, room);
		}

		@Override
		public Mono<Void> leave(ConnectionInfo connection, String room) {
			return this.delegate.leave(connection, room);
		}

		@Override
		public Flux<ConnectionInfo> connectionsOf(String user) {
			return this.delegate.connectionsOf(user);
		}

		@Override
		public Flux<ConnectionInfo> membersOf(String room) {
			return this.delegate.membersOf(room);
		}

		@Override
		public Mono<Integer> countConnections(String user) {
			return Mono.just(0);
		}

		@Override
		public Mono<Boolean> isOnline(String user) {
			return this.delegate.isOnline(user);
		}

		@Override
		public Flux<String> onlineUsers() {
			return this.delegate.onlineUsers();
		}

	}

}
