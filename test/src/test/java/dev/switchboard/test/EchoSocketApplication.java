package dev.switchboard.test;

import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A plain WebFlux WebSocket endpoint at {@code /echo}, which the test kit's own tests
 * talk to instead of a Switchboard socket, which this module does not depend on. It opens
 * with a {@code hello} describing the handshake, then answers: {@code close} with close
 * 4000, binary with the same bytes, {@code {"type": "request", "id": ...}} with a
 * {@code noise} message and then a reply with the id, {@code {"type": "silent"}} with
 * {@code noise} only, and anything else with the same text.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class EchoSocketApplication {

	@Bean
	HandlerMapping echoMapping() {
		return new SimpleUrlHandlerMapping(Map.of("/echo", new EchoHandler()), -1);
	}

	static final class EchoHandler implements WebSocketHandler {

		private static final JsonMapper json = JsonMapper.builder().build();

		@Override
		public List<String> getSubProtocols() {
			return List.of("chat.v2", "switchboard.token");
		}

		@Override
		public Mono<Void> handle(WebSocketSession session) {
			Flux<WebSocketMessage> replies = session.receive().concatMap((message) -> answer(session, message));
			return session
				.send(Flux.concat(Mono.just(session.textMessage(hello(session.getHandshakeInfo()))), replies));
		}

		private static String hello(HandshakeInfo handshake) {
			ObjectNode hello = json.createObjectNode();
			hello.put("type", "hello");
			hello.put("query", handshake.getUri().getRawQuery());
			hello.put("origin", handshake.getHeaders().getOrigin());
			hello.put("offered", handshake.getHeaders().getFirst("Sec-WebSocket-Protocol"));
			hello.put("protocol", handshake.getSubProtocol());
			return hello.toString();
		}

		private static Flux<WebSocketMessage> answer(WebSocketSession session, WebSocketMessage message) {
			if (message.getType() == WebSocketMessage.Type.BINARY) {
				byte[] bytes = new byte[message.getPayload().readableByteCount()];
				message.getPayload().read(bytes);
				return Flux.just(session.binaryMessage((factory) -> factory.wrap(bytes)));
			}
			String text = message.getPayloadAsText();
			if (text.equals("close")) {
				return session.close(new CloseStatus(4000, "asked")).thenMany(Flux.empty());
			}
			String type = text.startsWith("{") ? json.readTree(text).path("type").asString() : "";
			if (type.equals("request")) {
				JsonNode id = json.readTree(text).get("id");
				ObjectNode reply = json.createObjectNode().put("type", "reply");
				reply.set("id", id);
				return Flux.just(session.textMessage("{\"type\":\"noise\"}"), session.textMessage(reply.toString()));
			}
			if (type.equals("silent")) {
				return Flux.just(session.textMessage("{\"type\":\"noise\"}"));
			}
			return Flux.just(session.textMessage(text));
		}

	}

}
