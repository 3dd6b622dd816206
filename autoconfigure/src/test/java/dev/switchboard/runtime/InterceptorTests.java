package dev.switchboard.runtime;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain of interceptors (docs/security.md, Interceptors): their order, what each hook
 * does with a failure, and that the rate limit comes first. The two interceptors of
 * {@code InterceptorChainFixtures} record what they run for a {@code probe} parameter.
 */
@ExtendWith(OutputCaptureExtension.class)
class InterceptorTests extends SocketTestSupport {

	private List<String> recorded(String probe) {
		return this.events.events(String.class, (event) -> event.endsWith(" " + probe));
	}

	@Test
	void runsInterceptorsInOrderEachGivenTheMessageTheOneBeforeReturned() {
		try (WsClient client = connect("/ws/routing?probe=order")) {
			client.send("hi");
			assertThat(client.nextText()).isEqualTo("fallback:hi +1 +2");
		}
		assertThat(recorded("order")).startsWith("1 beforeHandshake order", "2 beforeHandshake order",
				"1 onConnect order", "2 onConnect order", "1 onMessage order", "2 onMessage order");
	}

	@Test
	void stopsTheChainAtTheFirstInterceptorThatRefusesAHandshake() {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, "/ws/routing?probe=refuse-first", Map.of())) {
			assertThat(client.responseHead()).startsWith("HTTP/1.1 403");
			assertThat(client.responseBody()).isEqualTo("{\"error\":\"first refused\"}");
		}
		assertThat(recorded("refuse-first")).isEmpty();
	}

	@Test
	void closesAConnectionAnInterceptorRejectsOnConnectWithTheStatusOfTheFailure() {
		assertThat(closeOnConnect("reject-connect")).isEqualTo(new CloseStatus(4001, "rejected by first"));
		assertThat(closeOnConnect("forbid-connect")).isEqualTo(new CloseStatus(1008, "forbidden by first"));
		assertThat(closeOnConnect("crash-connect").getCode()).isEqualTo(1011);
		assertThat(recorded("reject-connect")).doesNotContain("2 onConnect reject-connect");
	}

	private CloseStatus closeOnConnect(String probe) {
		try (WsClient client = connect("/ws/greeting?probe=" + probe)) {
			CloseStatus status = client.awaitClose();
			assertThat(client.drain()).as("what @OnConnect would have said").isEmpty();
			return status;
		}
	}

	@Test
	void closesAConnectionAnInterceptorRejectsAMessageOfWithTheStatusOfTheFailure() {
		try (WsClient client = connect("/ws/routing?probe=messages")) {
			client.send("reject");
			assertThat(client.awaitClose()).isEqualTo(new CloseStatus(4002, "message rejected by first"));
		}
		try (WsClient client = connect("/ws/routing?probe=messages")) {
			client.send("crash");
			assertThat(client.awaitClose().getCode()).isEqualTo(1011);
		}
	}

	@Test
	void doesNotPassAnOnMessageFailureToTheSocketsOnErrorMethods() {
		// The errors socket's @OnError methods answer an UnsupportedOperationException of
		// a
		// handler with a reply.
		try (WsClient client = connect("/ws/errors?probe=messages")) {
			client.send("unsupported");
			assertThat(client.awaitClose().getCode()).isEqualTo(1011);
			assertThat(client.drain()).isEmpty();
		}
	}

	@Test
	void runsTheNextInterceptorsOnDisconnectWhenOneFailsAndLogsTheFailure(CapturedOutput output) {
		try (WsClient client = connect("/ws/routing?probe=crash-disconnect")) {
			client.send("hi");
			client.next();
		}
		this.events.await(String.class, "2 onDisconnect crash-disconnect"::equals, 1);
		assertThat(recorded("crash-disconnect")).doesNotContain("1 onDisconnect crash-disconnect");
		assertThat(output).contains("first failed to clean up on purpose");
	}

	@Test
	void passesOnlyTheMessagesWithinTheRateToOnMessage() {
		try (WsClient flooder = connect("/ws/routing?probe=flood")) {
			for (int i = 0; i < 300; i++) {
				flooder.send("m");
			}
			long handled = flooder.next(300).stream().filter((frame) -> frame.asText().startsWith("fallback:")).count();
			assertThat(handled).isLessThan(300);
			assertThat(this.events.events(String.class, "1 onMessage flood"::equals)).hasSize((int) handled);
		}
	}

}
