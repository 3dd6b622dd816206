package dev.switchboard.smoke;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SmokeTests {

	@LocalServerPort
	int port;

	@Test
	void echoes() {
		try (WsClient client = WsClient.connect(URI.create("ws://localhost:" + this.port + "/ws/echo"))) {
			client.send("{\"type\":\"hello\",\"id\":7,\"name\":\"x\"}");
			assertThat(client.nextJson().toString()).isEqualTo("{\"greeting\":\"hi x\",\"id\":7}");
			client.send("plain");
			assertThat(client.nextText()).isEqualTo("echo plain");
		}
	}

	@SpringBootApplication
	static class App {

		@Socket("echo")
		static class Echo {

			@OnMessage("hello")
			Greeting hello(Hello hello) {
				return new Greeting("hi " + hello.name());
			}

			@OnMessage
			String echo(String text, SocketConnection connection) {
				return "echo " + text;
			}

		}

		record Hello(String name) {
		}

		record Greeting(String greeting) {
		}

	}

}
