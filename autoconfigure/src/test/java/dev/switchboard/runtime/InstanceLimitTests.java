package dev.switchboard.runtime;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.Await;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

@TestPropertySource(properties = "switchboard.limits.connections-per-instance=2")
class InstanceLimitTests extends SocketTestSupport {

	@Autowired
	MeterRegistry meters;

	private String handshake() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/greeting", Map.of())) {
			return client.responseHead().lines().findFirst().orElse("") + " " + client.responseBody();
		}
	}

	@Test
	void refusesConnectionsOverTheInstanceLimitWith429UntilOneCloses() {
		try (WsClient first = connect("/ws/greeting"); WsClient second = connect("/ws/greeting")) {
			first.next();
			second.next();
			String[] tags = { "socket", "greeting", "reason", "instance-limit", "status", "429" };
			double refused = this.meters.counter("switchboard.handshakes.rejected", tags).count();
			assertThat(handshake()).startsWith("HTTP/1.1 429").contains("too many connections on this server");
			assertThat(this.meters.get("switchboard.handshakes.rejected").tags(tags).counter().count())
				.isEqualTo(refused + 1);
			first.close();
			Await.until(() -> handshake().startsWith("HTTP/1.1 101"));
			second.send("x");
		}
	}

	@Test
	void refusesOverTheLimitBeforeAuthenticating() {
		try (WsClient first = connect("/ws/greeting"); WsClient second = connect("/ws/greeting")) {
			first.next();
			second.next();
			// A token the authenticator refuses: checked first, it would be a 401.
			try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/secure",
					Map.of("Authorization", "Bearer forged"))) {
				assertThat(client.responseHead()).startsWith("HTTP/1.1 429");
				assertThat(client.responseBody()).contains("too many connections on this server");
			}
		}
	}

	@Test
	void neverRefusesPlainHttpForTheLimit() throws Exception {
		try (WsClient first = connect("/ws/greeting"); WsClient second = connect("/ws/greeting")) {
			first.next();
			second.next();
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health")).build(),
						HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
		}
	}

	@Test
	void countsConnectionsThatHaveNotCompletedTheirHandshakeAgainstTheLimit() throws IOException {
		try (Socket first = new Socket("localhost", this.port); Socket second = new Socket("localhost", this.port)) {
			// Once the server has accepted them, which the client cannot see.
			Await.until(() -> handshake().startsWith("HTTP/1.1 429"));
			assertThat(handshake()).contains("too many connections on this server");
			first.close();
			Await.until(() -> handshake().startsWith("HTTP/1.1 101"));
		}
	}

}
