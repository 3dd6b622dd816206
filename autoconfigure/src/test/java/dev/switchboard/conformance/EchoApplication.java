package dev.switchboard.conformance;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.PropertySource;
import reactor.core.publisher.Mono;

import dev.switchboard.InboundMessage;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

/**
 * Two echo sockets, in the two handler styles: a plain method, which runs off the event
 * loop, and a method that returns a {@code Mono}. Each sends back what it receives, text
 * as text and binary as binary.
 */
@SpringBootApplication
@PropertySource("classpath:sockets-test.properties")
class EchoApplication {

	@Socket(name = "echo-plain", maxMessageSize = "1MB")
	static class PlainEcho {

		@OnMessage
		Object echo(InboundMessage message) {
			return message.isText() ? message.text() : message.bytes();
		}

	}

	@Socket(name = "echo-reactive", maxMessageSize = "1MB")
	static class ReactiveEcho {

		@OnMessage
		Mono<Object> echo(InboundMessage message) {
			return Mono.just(message.isText() ? message.text() : message.bytes());
		}

	}

}
