package dev.switchboard.runtime;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.RawWebSocket.RawFrame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registration enforces the per-user limit again, for handshakes that passed its
 * check together (docs/security.md, Connections per user): the connection over the limit
 * is closed with 1013 before any hook runs.
 */
@TestPropertySource(properties = "switchboard.limits.connections-per-user=1")
class UserLimitAtRegistrationTests extends SocketTestSupport {

	@Test
	void closesWith1013AtRegistrationAConnectionOverTheUserLimitBeforeAnyHookRuns() throws Exception {
		// Both handshakes pass the per-user pre-check before either is registered (a
		// refusal there would be a 429 without upgrade): the registration refuses one.
		CompletableFuture<RawWebSocket> first = CompletableFuture
			.supplyAsync(() -> RawWebSocket.connect(this.port, "/ws/greeting?user=twin&probe=pair", Map.of()));
		CompletableFuture<RawWebSocket> second = CompletableFuture
			.supplyAsync(() -> RawWebSocket.connect(this.port, "/ws/greeting?user=twin&probe=pair", Map.of()));
		try (RawWebSocket one = first.get(10, TimeUnit.SECONDS);
				RawWebSocket other = second.get(10, TimeUnit.SECONDS)) {
			List<RawFrame> frames = List.of(one.readFrame(), other.readFrame());
			assertThat(frames).filteredOn((frame) -> frame.opcode() == RawWebSocket.TEXT).hasSize(1);
			RawFrame close = frames.stream()
				.filter((frame) -> frame.opcode() == RawWebSocket.CLOSE)
				.findFirst()
				.orElseThrow();
			assertThat(close.closeCode()).isEqualTo(1013);
			assertThat(close.closeReason()).isEqualTo("too many connections for this user");
			// The hooks ran for the connection accepted, once each.
			assertThat(this.events.events(String.class, (event) -> event.endsWith(" onConnect pair")))
				.containsExactly("1 onConnect pair", "2 onConnect pair");
		}
	}

}
