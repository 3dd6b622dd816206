package dev.switchboard.browser.client;

import java.security.Principal;
import java.util.Map;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Mono;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ErrorCode;
import dev.switchboard.SocketAuthenticator;
import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

/**
 * The application the browser client's tests run against: one socket that requires a
 * user, whose token is {@code token-} and the user's name.
 */
@SpringBootApplication
public class ClientTestApplication {

	@Bean
	SocketAuthenticator tokens() {
		return (token, handshake) -> token.startsWith("token-")
				? Mono.just((Principal) () -> token.substring("token-".length())) : Mono.empty();
	}

	/**
	 * Says hello on connect; echoes, stays silent, refuses and closes on request.
	 */
	@Socket(value = "probe", authenticated = true)
	static class ProbeSocket {

		@OnConnect
		Map<String, String> hello(SocketConnection connection) {
			return Map.of("type", "hello", "user", connection.user(), "connection", connection.id());
		}

		@OnMessage("echo")
		Map<String, Object> echo(Map<String, Object> message) {
			return Map.of("type", "echoed", "text", message.get("text"));
		}

		@OnMessage("silent")
		void silent() {
		}

		@OnMessage("refuse")
		void refuse() {
			throw new ClientErrorException(ErrorCode.FORBIDDEN, "not for you");
		}

		@OnMessage("sign-out")
		Mono<Void> signOut(SocketConnection connection) {
			return connection.close(new CloseStatus(1008, "signed out"));
		}

	}

	/**
	 * Recovers what its connections missed: each joins the room {@code news}, which keeps
	 * a history when the test says so.
	 */
	@Socket(value = "feed", authenticated = true, recovery = true)
	static class FeedSocket {

		@OnConnect
		Mono<Void> join(SocketConnection connection) {
			return connection.join("news");
		}

	}

}
