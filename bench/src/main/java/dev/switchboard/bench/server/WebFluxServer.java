package dev.switchboard.bench.server;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain WebFlux application, as a Spring user would write one without Switchboard:
 * {@code /ws/echo} sends each text message back, and {@code /ws/json} binds each message
 * to a record with Boot's {@link JsonMapper} and writes the record back, by hand.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = { "dev.switchboard.autoconfigure.SwitchboardAutoConfiguration",
		"dev.switchboard.autoconfigure.SwitchboardRedisAutoConfiguration" })
public class WebFluxServer {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(WebFluxServer.class);
		application.addListeners(new ReadyAnnouncer());
		application.run(args);
	}

	@Bean
	HandlerMapping webSocketMapping(JsonMapper mapper) {
		WebSocketHandler echo = (session) -> session
			.send(session.receive().map((message) -> session.textMessage(message.getPayloadAsText())));
		WebSocketHandler json = (session) -> session.send(session.receive().map((message) -> {
			Echo bound = mapper.readValue(message.getPayloadAsText(), Echo.class);
			return session.textMessage(mapper.writeValueAsString(bound));
		}));
		return new SimpleUrlHandlerMapping(Map.of("/ws/echo", echo, "/ws/json", json), -1);
	}

	@Bean
	RouterFunction<ServerResponse> memory() {
		return RouterFunctions.route()
			.GET("/bench/memory",
					(request) -> ServerResponse.ok().body(Mono.fromSupplier(Control::memory), String.class))
			.build();
	}

	/**
	 * The message both sides exchange.
	 *
	 * @param type its route
	 * @param seq its number
	 * @param t when it was sent, in the load generator's nanoseconds
	 * @param pad padding to its size
	 */
	record Echo(String type, long seq, long t, String pad) {
	}

}
