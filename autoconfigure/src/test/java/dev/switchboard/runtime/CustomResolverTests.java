package dev.switchboard.runtime;

import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Custom argument resolvers and payload binding: which resolver wins, the thread they run
 * on, and what their failures give the client.
 */
class CustomResolverTests extends SocketTestSupport {

	@Test
	void asksTheResolversInOrderOnTheThreadOfTheMethod() {
		try (WsClient client = connect("/ws/probe")) {
			client.send("{\"type\":\"blocking\"}").send("{\"type\":\"non-blocking\"}").send("{\"type\":\"reactive\"}");
			String[] blocking = client.nextText().split(" ");
			assertThat(blocking[0]).isEqualTo("first");
			assertThat(blocking[3]).startsWith("boundedElastic-");
			assertThat(blocking[1]).as("the resolver's thread").isEqualTo(blocking[3]);
			assertThat(blocking[2]).as("the payload's thread").isEqualTo(blocking[3]);
			String[] nonBlocking = client.nextText().split(" ");
			assertThat(nonBlocking[3]).contains("http-epoll");
			assertThat(nonBlocking[1]).as("the resolver's thread").isEqualTo(nonBlocking[3]);
			assertThat(nonBlocking[2]).as("the payload's thread").isEqualTo(nonBlocking[3]);
			String[] reactive = client.nextText().split(" ");
			assertThat(reactive[2]).contains("http-epoll");
			assertThat(reactive[1]).as("the resolver's thread").isEqualTo(reactive[2]);
		}
	}

	@Test
	void answersAResolversClientErrorWithItsCodeAndAnyOtherFailureWithInternal() {
		try (WsClient client = connect("/ws/probe")) {
			client.send("{\"type\":\"reactive\",\"probe\":\"refuse\",\"id\":1}");
			assertThat(client.nextJson().toString())
				.isEqualTo("{\"error\":\"probe refused\",\"code\":\"forbidden\",\"id\":1}");
			client.send("{\"type\":\"reactive\",\"probe\":\"fail\",\"id\":2}");
			assertThat(client.nextJson().toString())
				.isEqualTo("{\"error\":\"internal error\",\"code\":\"internal\",\"id\":2}");
		}
	}

	@Test
	void closesWith1008Or1011WhenAResolverOfOnConnectFails() {
		try (WsClient client = connect("/ws/probe?probe=refuse")) {
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("probe refused");
		}
		try (WsClient client = connect("/ws/probe?probe=fail")) {
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1011);
			assertThat(status.getReason()).isEqualTo("internal error");
		}
	}

	@Test
	void convertsValuesWithTheApplicationsConversionService() {
		try (WsClient client = connect("/ws/probe?shade=teal:3")) {
			client.send("{\"type\":\"shade\"}");
			assertThat(client.nextText()).isEqualTo("teal 3");
		}
	}

}
