package dev.switchboard.runtime;

import java.util.Map;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.ContextView;

import dev.switchboard.ClientErrorException;
import dev.switchboard.SendResult;
import dev.switchboard.handler.SocketInvocation;
import dev.switchboard.handler.support.SocketHandlerMethod;
import dev.switchboard.registry.Destination;
import dev.switchboard.registry.Envelope;

/**
 * The Micrometer observations the runtime makes: a handler method's invocation
 * ({@value #HANDLER}), a send ({@value #SEND}), and the delivery on this instance of what
 * another instance published ({@value #DELIVERY}). A send carries its observation's
 * context in the headers of the envelope it publishes, and the delivery continues it, so
 * that a tracer shows both in one trace. Made only when the registry is not a no-op:
 * without one the runtime holds no {@code Observations} and creates nothing per message.
 */
final class Observations {

	/**
	 * Name of the observation of a handler method.
	 */
	static final String HANDLER = "switchboard.handler";

	/**
	 * Name of the observation of a send.
	 */
	static final String SEND = "switchboard.send";

	/**
	 * Name of the observation of a delivery on this instance of a send of another one.
	 */
	static final String DELIVERY = "switchboard.delivery";

	/**
	 * Where Micrometer and Spring (WebClient, for one) look for the current observation
	 * in a Reactor context: {@code ObservationThreadLocalAccessor.KEY}, written out so
	 * that the context-propagation library need not be on the class path.
	 */
	static final String REACTOR_CONTEXT_KEY = "micrometer.observation";

	private static final String NONE = "none";

	private final ObservationRegistry registry;

	private Observations(ObservationRegistry registry) {
		this.registry = registry;
	}

	/**
	 * The observations made with a registry.
	 * @param registry the registry
	 * @return the observations, {@code null} when the registry is a no-op
	 */
	static @Nullable Observations of(ObservationRegistry registry) {
		return registry.isNoop() ? null : new Observations(registry);
	}

	/**
	 * Calls a handler method, observed: its observation is current while the method is
	 * called, so that what it observes on this thread nests under it; a method on the
	 * bounded scheduler finds it in the Reactor context ({@code SocketHandlerMethod}), as
	 * do the publishers a method returns. It is observed until its values end: those
	 * known already end now.
	 * @param socket the socket's name, as a key value
	 * @param route the route: the message type, {@code default}, {@code @connect} or
	 * {@code @disconnect}
	 * @param method the method
	 * @param invocation its invocation
	 * @param timer the connection's event loop
	 * @return the values the method gave
	 */
	Flux<Object> invoke(KeyValue socket, String route, SocketHandlerMethod method, SocketInvocation invocation,
			Scheduler timer) {
		Observation observation = Observation.createNotStarted(HANDLER, this.registry)
			.contextualName(socket.getValue() + " " + route)
			.lowCardinalityKeyValue(socket)
			.lowCardinalityKeyValue("route", route)
			.lowCardinalityKeyValue("exception", NONE)
			.start();
		Flux<Object> values;
		try (Observation.Scope scope = observation.openScope()) {
			values = method.invokeNow(invocation, timer);
		}
		if (!(values instanceof Fuseable.ScalarCallable<?> known)) {
			return observe(values, observation);
		}
		Throwable error = null;
		try {
			known.call();
		}
		catch (Exception ex) {
			error = Exceptions.unwrap(ex);
		}
		stop(observation, error);
		return values;
	}

	/**
	 * Observes a message that no handler method takes: its route is the code of the error
	 * reply it gets, {@code not-found} for a type no method handles.
	 * @param socket the socket's name, as a key value
	 * @param error why routing refused it
	 */
	void unrouted(KeyValue socket, Throwable error) {
		String route = (error instanceof ClientErrorException refusal) ? refusal.getCode().value() : "not-found";
		Observation observation = Observation.createNotStarted(HANDLER, this.registry)
			.contextualName(socket.getValue() + " " + route)
			.lowCardinalityKeyValue(socket)
			.lowCardinalityKeyValue("route", route)
			.start();
		stop(observation, error);
	}

	/**
	 * Starts the observation of a send, whose context the tracer writes into the headers
	 * of the envelope it may publish.
	 * @param destination the recipients
	 * @param operation {@code send} or {@code close}
	 * @param headers the headers of the envelope to come
	 * @param reactorContext where the observation of a handler method that returned the
	 * send is found; else the current observation is the parent
	 * @return the started observation
	 */
	Observation send(Destination destination, String operation, Map<String, String> headers,
			ContextView reactorContext) {
		String target = target(destination);
		SenderContext<Map<String, String>> context = new SenderContext<>(Map::put, Kind.PRODUCER);
		context.setCarrier(headers);
		context.setRemoteServiceName("switchboard");
		Observation observation = Observation.createNotStarted(SEND, () -> context, this.registry);
		// Else the current observation, which a new one takes as its parent.
		Observation parent = reactorContext.getOrDefault(REACTOR_CONTEXT_KEY, null);
		if (parent != null) {
			observation.parentObservation(parent);
		}
		return observation.contextualName(operation + " to " + target)
			.lowCardinalityKeyValue("target", target)
			.lowCardinalityKeyValue("operation", operation)
			.lowCardinalityKeyValue("result", NONE)
			.start();
	}

	/**
	 * Starts the observation of the delivery of an envelope another instance published,
	 * as a continuation of the send whose context its headers carry.
	 * @param envelope the envelope
	 * @return the started observation
	 */
	Observation delivery(Envelope envelope) {
		ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get, Kind.CONSUMER);
		context.setCarrier(envelope.headers());
		context.setRemoteServiceName("switchboard");
		String kind = kind(envelope.kind());
		return Observation.createNotStarted(DELIVERY, () -> context, this.registry)
			.contextualName("deliver " + kind)
			.lowCardinalityKeyValue("kind", kind)
			.start();
	}

	/**
	 * Stops an observation when a reactive result ends, with what it ended with, and
	 * makes it the current observation of whatever runs upstream.
	 * @param <T> the type of the values
	 * @param values the result
	 * @param observation the observation
	 * @return the result, observed
	 */
	static <T> Flux<T> observe(Flux<T> values, Observation observation) {
		return values.doOnError((ex) -> failed(observation, ex))
			.doFinally((signal) -> observation.stop())
			.contextWrite((context) -> context.put(REACTOR_CONTEXT_KEY, observation));
	}

	/**
	 * Stops the observation of a send when its result is known.
	 * @param result the result
	 * @param observation the observation
	 * @return the result, observed
	 */
	static Mono<SendResult> observeSend(Mono<SendResult> result, Observation observation) {
		return result.doOnNext((sent) -> observation.lowCardinalityKeyValue("result", result(sent)))
			.doOnError((ex) -> observation.lowCardinalityKeyValue("result", "failed").error(ex))
			.doFinally((signal) -> observation.stop());
	}

	/**
	 * Stops an observation.
	 * @param observation the observation
	 * @param error what it failed with, {@code null} for nothing
	 */
	static void stop(Observation observation, @Nullable Throwable error) {
		if (error != null) {
			failed(observation, error);
		}
		observation.stop();
	}

	private static void failed(Observation observation, Throwable error) {
		String type = error.getClass().getSimpleName();
		observation.lowCardinalityKeyValue("exception", type.isEmpty() ? error.getClass().getName() : type)
			.error(error);
	}

	private static String result(SendResult result) {
		if (result.instances() > 0) {
			return "published";
		}
		return result.notConnected() ? "not-connected" : "reached";
	}

	private static String target(Destination destination) {
		return switch (destination.type()) {
			case CONNECTION -> "connection";
			case USER -> (destination.names().size() > 1) ? "users" : "user";
			case ROOM -> "room";
			case SOCKET -> "socket";
		};
	}

	static String kind(Envelope.Kind kind) {
		return switch (kind) {
			case TEXT -> "text";
			case BINARY -> "binary";
			case CLOSE -> "close";
			case JOIN -> "join";
			case LEAVE -> "leave";
		};
	}

}
