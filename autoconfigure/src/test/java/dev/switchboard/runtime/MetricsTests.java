package dev.switchboard.runtime;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.switchboard.CloseReason;
import dev.switchboard.SendResult;
import dev.switchboard.test.Await;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The meters that docs/operations.md lists under Metrics, moved by real traffic; those of
 * slow clients, handshake timeouts and several instances are tested next to those
 * features.
 */
class MetricsTests extends SocketTestSupport {

	@Autowired
	MeterRegistry meters;

	@Test
	void countsConnectionsOpenedOpenAndClosedBySocketWithTheirCloseCode() {
		Await.until(() -> open("greeting") == 0);
		double opened = count("switchboard.connections.opened", "socket", "greeting");
		double closed = count("switchboard.connections.closed", "socket", "greeting", "code", "1000");
		try (WsClient client = connect("/ws/greeting")) {
			assertThat(client.nextText()).startsWith("hello ");
			assertThat(open("greeting")).isEqualTo(1);
			assertThat(count("switchboard.connections.opened", "socket", "greeting")).isEqualTo(opened + 1);
			client.close(1000);
			assertThat(client.awaitClose().getCode()).isEqualTo(1000);
		}
		Await.until(() -> count("switchboard.connections.closed", "socket", "greeting", "code", "1000") == closed + 1);
		Await.until(() -> open("greeting") == 0);
	}

	@Test
	void tagsTheApplicationsOwnCloseCodeByItsValueAndTheSameCodeFromAClientOther() {
		double own = count("switchboard.connections.closed", "socket", "greeting", "code", "4321");
		double other = count("switchboard.connections.closed", "socket", "greeting", "code", "other");
		try (WsClient client = connect("/ws/greeting")) {
			String id = client.nextText().substring("hello ".length());
			this.switchboard.toConnection(id).close(new CloseReason(4321, "bye")).block();
			assertThat(client.awaitClose().getCode()).isEqualTo(4321);
			this.events.disconnected(id);
		}
		assertThat(count("switchboard.connections.closed", "socket", "greeting", "code", "4321")).isEqualTo(own + 1);
		try (WsClient client = connect("/ws/greeting")) {
			String id = client.nextText().substring("hello ".length());
			client.close(4321);
			assertThat(client.awaitClose().getCode()).isEqualTo(4321);
			this.events.disconnected(id);
		}
		assertThat(count("switchboard.connections.closed", "socket", "greeting", "code", "other")).isEqualTo(other + 1);
		assertThat(count("switchboard.connections.closed", "socket", "greeting", "code", "4321")).isEqualTo(own + 1);
	}

	@Test
	void createsNoMeterSeriesForTheCloseCodesAndMessageTypesClientsChoose() {
		// The first of each kind may create its series: then no other may.
		double other = count("switchboard.connections.closed", "socket", "errors", "code", "other");
		closeAfterAnUnknownType(4000);
		Await.until(() -> count("switchboard.connections.closed", "socket", "errors", "code", "other") == other + 1);
		Set<Meter.Id> before = ids();
		int[] codes = { 3000, 3001, 3999, 4001, 4002, 4500, 4999 };
		for (int code : codes) {
			closeAfterAnUnknownType(code);
		}
		Await.until(() -> count("switchboard.connections.closed", "socket", "errors", "code", "other") == other + 1
				+ codes.length);
		assertThat(ids()).isEqualTo(before);
	}

	private void closeAfterAnUnknownType(int code) {
		try (WsClient client = connect("/ws/errors")) {
			client.send("{\"type\":\"unknown-" + code + "\"}");
			assertThat(client.nextJson().get("code").asString()).isEqualTo("not-found");
			client.close(code);
			assertThat(client.awaitClose().getCode()).isEqualTo(code);
		}
	}

	@Test
	void countsHandshakesRejectedByReasonAndStatus() {
		assertRejected("/ws/routing", Map.of("Origin", "https://evil.example"), "routing", "origin", "403");
		assertRejected("/ws/routing", Map.of("Sec-WebSocket-Version", "8"), "routing", "version", "426");
		assertRejected("/ws/routing", Map.of("Sec-WebSocket-Key", ""), "routing", "bad-request", "400");
		assertRejected("/ws/rooms/x/arguments", Map.of("Sec-WebSocket-Protocol", "v9"), "arguments", "subprotocol",
				"400");
		assertRejected("/ws/secure", Map.of(), "secure", "unauthenticated", "401");
		assertRejected("/ws/secure", Map.of("Authorization", "Bearer forged"), "secure", "invalid-token", "401");
		assertRejected("/ws/routing", Map.of("X-Refuse", "reject"), "routing", "interceptor", "403");
		assertRejected("/ws/routing", Map.of("X-Refuse", "RATE_LIMITED"), "routing", "interceptor", "429");
		assertRejected("/ws/routing", Map.of("X-Refuse", "explode"), "routing", "error", "500");
	}

	private void assertRejected(String path, Map<String, String> headers, String socket, String reason, String status) {
		String[] tags = { "socket", socket, "reason", reason, "status", status };
		double before = count("switchboard.handshakes.rejected", tags);
		try (RawWebSocket client = RawWebSocket.handshake(this.port, path, headers)) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 " + status + " ");
		}
		assertThat(count("switchboard.handshakes.rejected", tags)).as(reason).isEqualTo(before + 1);
	}

	@Test
	void countsMessagesAndTheirBytesInAndOut() {
		DistributionSummary received = this.meters.get("switchboard.messages.received")
			.tag("socket", "routing")
			.summary();
		DistributionSummary sent = this.meters.get("switchboard.messages.sent").tag("socket", "routing").summary();
		try (WsClient client = connect("/ws/routing")) {
			long receivedBefore = received.count();
			double receivedBytes = received.totalAmount();
			long sentBefore = sent.count();
			double sentBytes = sent.totalAmount();
			client.send("counted");
			assertThat(client.nextText()).isEqualTo("fallback:counted");
			Await.until(() -> sent.count() == sentBefore + 1);
			assertThat(sent.totalAmount()).isEqualTo(sentBytes + "fallback:counted".length());
			assertThat(received.count()).isEqualTo(receivedBefore + 1);
			assertThat(received.totalAmount()).isEqualTo(receivedBytes + "counted".length());
		}
	}

	@Test
	void countsErrorRepliesByCode() {
		double notFound = count("switchboard.errors", "socket", "errors", "code", "not-found");
		try (WsClient client = connect("/ws/errors")) {
			client.send("{\"type\":\"nowhere\"}");
			assertThat(client.nextJson().get("code").asString()).isEqualTo("not-found");
		}
		assertThat(count("switchboard.errors", "socket", "errors", "code", "not-found")).isEqualTo(notFound + 1);
	}

	@Test
	void countsEachSendAndCloseByWhatIsKnownOfItsResult() {
		double local = count("switchboard.sends", "kind", "message", "result", "local");
		double notConnected = count("switchboard.sends", "kind", "message", "result", "not-connected");
		double failedClose = count("switchboard.sends", "kind", "close", "result", "failed");
		double localClose = count("switchboard.sends", "kind", "close", "result", "local");
		try (WsClient client = connect("/ws/greeting")) {
			String id = client.nextText().substring("hello ".length());
			assertThat(this.switchboard.toConnection(id).send("counted").block()).isEqualTo(new SendResult(1, 0));
			assertThat(client.nextText()).isEqualTo("counted");
			assertThat(count("switchboard.sends", "kind", "message", "result", "local")).isEqualTo(local + 1);
			assertThat(this.switchboard.toUser("nobody-at-all").send("counted").block().notConnected()).isTrue();
			assertThat(count("switchboard.sends", "kind", "message", "result", "not-connected"))
				.isEqualTo(notConnected + 1);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> this.switchboard.toConnection(id).close(new CloseReason(1005)).block());
			assertThat(count("switchboard.sends", "kind", "close", "result", "failed")).isEqualTo(failedClose + 1);
			this.switchboard.toConnection(id).close(CloseReason.NORMAL).block();
			assertThat(count("switchboard.sends", "kind", "close", "result", "local")).isEqualTo(localClose + 1);
			assertThat(client.awaitClose().getCode()).isEqualTo(1000);
		}
	}

	private double open(String socket) {
		Gauge gauge = this.meters.find("switchboard.connections").tag("socket", socket).gauge();
		return (gauge != null) ? gauge.value() : -1;
	}

	private double count(String name, String... tags) {
		Counter counter = this.meters.find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private Set<Meter.Id> ids() {
		return this.meters.getMeters().stream().map(Meter::getId).collect(Collectors.toSet());
	}

}
