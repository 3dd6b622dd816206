package dev.switchboard.bench.server;

import java.security.Principal;

import brave.Tracing;
import brave.handler.SpanHandler;
import brave.sampler.Sampler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

import dev.switchboard.SendResult;
import dev.switchboard.SocketConnection;
import dev.switchboard.Switchboard;
import dev.switchboard.annotation.NonBlocking;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.QueryParam;
import dev.switchboard.annotation.Socket;

/**
 * The Switchboard application of every scenario, its sockets written as the docs show, in
 * both handler styles: methods that return a {@code Mono}, which run on the event loop,
 * and plain methods, which run off it unless declared {@code @NonBlocking}.
 * <ul>
 * <li>{@code echo-mono}, {@code echo-plain}, {@code echo-nonblocking}: the text of each
 * message back; the last a plain method declared {@code @NonBlocking}.</li>
 * <li>{@code json-mono}, {@code json-plain}: each message bound to a record, which is
 * sent back as JSON.</li>
 * <li>{@code hub}: receives; says hello with its connection's id, and joins the room of
 * its {@code room} parameter.</li>
 * <li>{@code publish}: sends each message on, through {@link Switchboard}, to the
 * {@code hub} socket, or to the connection, user or room of its {@code to} parameter,
 * after its {@code mode}.</li>
 * </ul>
 * A {@code user} query parameter authenticates the connection as that user.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ SwitchboardBenchApp.EchoMono.class, SwitchboardBenchApp.EchoPlain.class,
		SwitchboardBenchApp.EchoNonBlocking.class, SwitchboardBenchApp.JsonMono.class,
		SwitchboardBenchApp.JsonPlain.class, SwitchboardBenchApp.Hub.class, SwitchboardBenchApp.Publish.class,
		SwitchboardBenchApp.PublishOrdered.class })
public class SwitchboardBenchApp {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(SwitchboardBenchApp.class);
		application.addListeners(new ReadyAnnouncer());
		application.run(args);
	}

	@Bean
	WebFilter userFromQuery() {
		return (exchange, chain) -> {
			String user = exchange.getRequest().getQueryParams().getFirst("user");
			if (user == null) {
				return chain.filter(exchange);
			}
			Principal principal = () -> user;
			return chain.filter(exchange.mutate().principal(Mono.just(principal)).build());
		};
	}

	/**
	 * With {@code bench.observations=true}, Switchboard's observations are made: each is
	 * timed, as Boot's meter handler times them, in a registry of its own, so that
	 * Switchboard's meters stay off and what is measured is the observations' cost; with
	 * {@code bench.long-task-timers=false} too, without the long-task timers, as
	 * {@code management.metrics.observations.ignored-meters=long-task-timer} makes
	 * Boot's.
	 * @param longTaskTimers whether the handler starts a long-task timer per observation
	 * @return the handler
	 */
	@Bean
	@ConditionalOnBooleanProperty("bench.observations")
	ObservationHandler<Observation.Context> benchObservationHandler(
			@Value("${bench.long-task-timers:true}") boolean longTaskTimers) {
		return longTaskTimers ? new DefaultMeterObservationHandler(new SimpleMeterRegistry())
				: new DefaultMeterObservationHandler(new SimpleMeterRegistry(), IgnoredMeters.LONG_TASK_TIMER);
	}

	/**
	 * With {@code bench.tracing=true}, a Brave tracer makes a span of each observation,
	 * every one sampled, and drops it when it ends: what is measured is the tracer's
	 * cost, without an exporter's.
	 * @return the handler
	 */
	@Bean
	@ConditionalOnBooleanProperty("bench.tracing")
	ObservationHandler<? extends Observation.Context> benchTracingHandler() {
		// A handler of its own that keeps nothing, so that Brave records each span as
		// for an exporter (it leaves SpanHandler.NOOP out).
		Tracing tracing = Tracing.newBuilder().sampler(Sampler.ALWAYS_SAMPLE).addSpanHandler(new SpanHandler() {
		}).build();
		BraveTracer tracer = new BraveTracer(tracing.tracer(),
				new BraveCurrentTraceContext(tracing.currentTraceContext()), new BraveBaggageManager());
		return new DefaultTracingObservationHandler(tracer);
	}

	@Bean
	RouterFunction<ServerResponse> memory() {
		return RouterFunctions.route()
			.GET("/bench/memory",
					(request) -> ServerResponse.ok().body(Mono.fromSupplier(Control::memory), String.class))
			.build();
	}

	@Socket("echo-mono")
	static class EchoMono {

		@OnMessage
		Mono<String> echo(String text) {
			return Mono.just(text);
		}

	}

	@Socket("echo-plain")
	static class EchoPlain {

		@OnMessage
		String echo(String text) {
			return text;
		}

	}

	@Socket("echo-nonblocking")
	static class EchoNonBlocking {

		@NonBlocking
		@OnMessage
		String echo(String text) {
			return text;
		}

	}

	@Socket("json-mono")
	static class JsonMono {

		@OnMessage("echo")
		Mono<WebFluxServer.Echo> echo(WebFluxServer.Echo echo) {
			return Mono.just(echo);
		}

	}

	@Socket("json-plain")
	static class JsonPlain {

		@OnMessage("echo")
		WebFluxServer.Echo echo(WebFluxServer.Echo echo) {
			return echo;
		}

	}

	@Socket("hub")
	static class Hub {

		@OnConnect
		Mono<String> hello(SocketConnection connection, @QueryParam @Nullable String room) {
			Mono<Void> join = (room != null) ? connection.join(room) : Mono.empty();
			return join.thenReturn("{\"hello\":\"" + connection.id() + "\"}");
		}

	}

	@Socket("publish")
	static class Publish {

		private final Switchboard switchboard;

		Publish(Switchboard switchboard) {
			this.switchboard = switchboard;
		}

		@OnMessage
		Mono<Void> publish(String text, @QueryParam @Nullable String mode, @QueryParam @Nullable String to) {
			Mono<SendResult> sent = switch ((mode != null) ? mode : "socket") {
				case "connection" -> this.switchboard.toConnection(to).send(text);
				case "user" -> this.switchboard.toUser(to).send(text);
				case "room" -> this.switchboard.toRoom(to).send(text);
				default -> this.switchboard.toSocket("hub").send(text);
			};
			return sent.then();
		}

	}

	/**
	 * The same sends from a socket that handles up to 64 messages of a connection at the
	 * same time, in order.
	 */
	@Socket(name = "publish-ordered", concurrency = 64, ordered = true)
	static class PublishOrdered {

		private final Publish publish;

		PublishOrdered(Switchboard switchboard) {
			this.publish = new Publish(switchboard);
		}

		@OnMessage
		Mono<Void> publish(String text, @QueryParam @Nullable String mode, @QueryParam @Nullable String to) {
			return this.publish.publish(text, mode, to);
		}

	}

}
