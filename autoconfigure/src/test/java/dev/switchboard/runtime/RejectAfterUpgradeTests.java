package dev.switchboard.runtime;

import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.RawWebSocket.RawFrame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With reject-after-upgrade, a page can read why it was refused: the handshake succeeds
 * and the connection closes at once with 1008 and the reason.
 */
@TestPropertySource(
		properties = { "switchboard.security.reject-after-upgrade=true", "switchboard.limits.connections-per-user=1" })
class RejectAfterUpgradeTests extends SocketTestSupport {

	@Autowired
	MeterRegistry meters;

	private RawFrame closeFrame(String path, Map<String, String> headers) {
		try (RawWebSocket client = RawWebSocket.connect(this.port, path, headers)) {
			return client.readFrame();
		}
	}

	@Test
	void closesWith1008AndTheReasonInsteadOfAnswering401() {
		RawFrame close = closeFrame("/ws/secure", Map.of("Sec-WebSocket-Protocol", "switchboard.token, expired"));
		assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
		assertThat(close.closeCode()).isEqualTo(1008);
		assertThat(close.closeReason()).isEqualTo("invalid token");
		assertThat(closeFrame("/ws/secure", Map.of()).closeReason()).isEqualTo("authentication required");
	}

	@Test
	void closesWith1008AndTheReasonInsteadOfAnswering403() {
		RawFrame close = closeFrame("/ws/vault", Map.of("Authorization", "Bearer token-eve"));
		assertThat(close.closeCode()).isEqualTo(1008);
		assertThat(close.closeReason()).isEqualTo("admins only");
		assertThat(this.events.events(String.class, "vault connected eve"::equals)).isEmpty();
	}

	@Test
	void closesWith1013AndTheReasonInsteadOfAnswering429() {
		try (dev.switchboard.test.WsClient first = dev.switchboard.test.WsClient
			.connect(uri("/ws/greeting?user=solo"))) {
			first.next();
			RawFrame close = closeFrame("/ws/greeting?user=solo", Map.of());
			assertThat(close.closeCode()).isEqualTo(1013);
			assertThat(close.closeReason()).isEqualTo("too many connections for this user");
		}
	}

	@Test
	void closesAnInterceptorsRefusalWith1008Or1013WhateverItsCloseStatus() {
		RawFrame unauthorized = closeFrame("/ws/routing?probe=refuse-401", Map.of());
		assertThat(unauthorized.closeCode()).isEqualTo(1008);
		assertThat(unauthorized.closeReason()).isEqualTo("key expired");
		RawFrame busy = closeFrame("/ws/routing?probe=refuse-429", Map.of());
		assertThat(busy.closeCode()).isEqualTo(1013);
		assertThat(busy.closeReason()).isEqualTo("come back later");
	}

	@Test
	void countsARefusalByTheStatusItsCloseStandsFor() {
		String[] tags = { "socket", "secure", "reason", "invalid-token", "status", "401" };
		Counter counter = this.meters.find("switchboard.handshakes.rejected").tags(tags).counter();
		double before = (counter != null) ? counter.count() : 0;
		assertThat(closeFrame("/ws/secure", Map.of("Authorization", "Bearer forged")).closeCode()).isEqualTo(1008);
		assertThat(this.meters.get("switchboard.handshakes.rejected").tags(tags).counter().count())
			.isEqualTo(before + 1);
	}

	@Test
	void runsNoOnConnectHookForAConnectionItRefuses() {
		RawFrame close = closeFrame("/ws/vault?probe=vault-refused", Map.of("Authorization", "Bearer token-eve"));
		assertThat(close.closeCode()).isEqualTo(1008);
		// The interceptors ordered before the refusing one ran their beforeHandshake
		// only.
		assertThat(this.events.events(String.class, (event) -> event.endsWith(" vault-refused")))
			.containsExactly("1 beforeHandshake vault-refused", "2 beforeHandshake vault-refused");
	}

	@Test
	void stillRefusesAForeignOriginWithoutUpgrading() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/routing",
				Map.of("Origin", "https://evil.example"))) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 403");
		}
	}

}
