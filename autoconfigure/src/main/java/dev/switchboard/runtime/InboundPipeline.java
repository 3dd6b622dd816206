package dev.switchboard.runtime;

import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.common.KeyValue;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;

import dev.switchboard.ClientErrorException;
import dev.switchboard.InboundMessage;
import dev.switchboard.handler.support.MessageCodec;
import dev.switchboard.handler.support.OutboundMessage;
import dev.switchboard.handler.support.RoutingInfo;
import dev.switchboard.handler.support.SocketHandler;
import dev.switchboard.handler.support.SocketHandler.Route;
import dev.switchboard.handler.support.SocketInvocationContext;

/**
 * The path of one message of a socket, once the frames are assembled into a message
 * ({@link MessageAssembler}) and it is within the connection's rate
 * ({@link SocketSession}): interceptors, route, the interceptors' check of the route,
 * arguments and invocation ({@code SocketHandlerMethod}), the return value, and a reply
 * or an error reply ({@link Failures}) queued for the client
 * ({@link NettySocketConnection}). Every step is one call, in {@link #handle}.
 */
final class InboundPipeline {

	private final SocketHandler handler;

	private final InterceptorChain interceptors;

	private final MessageCodec codec;

	private final Failures failures;

	private final @Nullable Observations observations;

	private final KeyValue socket;

	InboundPipeline(SocketHandler handler, InterceptorChain interceptors, MessageCodec codec, Failures failures,
			@Nullable Observations observations) {
		this.handler = handler;
		this.interceptors = interceptors;
		this.codec = codec;
		this.failures = failures;
		this.observations = observations;
		this.socket = KeyValue.of("socket", handler.settings().name());
	}

	/**
	 * Handles a message and queues its replies; a failure no reply can answer closes the
	 * connection. When the socket has no interceptors and its handler method returns a
	 * result it already holds (such as {@code Mono.just}), the replies are queued before
	 * this returns, and the result is an empty {@code Mono}: nothing is left to wait for.
	 * @param connection the connection the message came from
	 * @param message the message
	 * @param timer the connection's event loop, which times the handler method
	 * @return completes once the replies are queued
	 */
	Mono<Void> handle(NettySocketConnection connection, InboundMessage message, Scheduler timer) {
		Flux<OutboundMessage> replies = replies(connection, message, timer);
		if (replies instanceof Fuseable.ScalarCallable<?> known) {
			try {
				Object reply = known.call();
				if (reply != null) {
					connection.offer((OutboundMessage) reply);
				}
			}
			catch (Exception ex) {
				this.failures.close(connection, Exceptions.unwrap(ex));
			}
			return Mono.empty();
		}
		return replies.doOnNext(connection::offer).then();
	}

	/**
	 * Handles a message: its replies, error replies included, for the caller to queue in
	 * the order it keeps; a failure no reply can answer closes the connection and ends
	 * the replies. Replies known already come as a {@link Fuseable.ScalarCallable}.
	 * @param connection the connection the message came from
	 * @param message the message
	 * @param timer the connection's event loop, which times the handler method
	 * @return the replies
	 */
	Flux<OutboundMessage> replies(NettySocketConnection connection, InboundMessage message, Scheduler timer) {
		// Numbered here, on the event loop and in order: interceptors may answer on
		// another thread.
		long sequence = connection.nextSequence();
		Flux<OutboundMessage> replies = this.interceptors.isEmpty() ? dispatch(connection, message, sequence, timer)
				: this.interceptors.onMessage(connection, message)
					.flatMapMany((accepted) -> dispatch(connection, accepted, sequence, timer));
		return resume(replies, (ex) -> {
			if (ex instanceof ClientErrorException refusal) {
				return Flux.just(this.failures.refusal(message, refusal.getCode(), refusal.getMessage()));
			}
			this.failures.close(connection, ex);
			return Flux.empty();
		});
	}

	private Flux<OutboundMessage> dispatch(NettySocketConnection connection, InboundMessage message, long sequence,
			Scheduler timer) {
		// Read once, and only when needed: routing, the replies and the error replies use
		// it, and a socket with only a default method routes without it.
		RoutingInfo routing = this.handler.readsType() ? this.codec.inspect(message) : null;
		MessageId id = new MessageId(message, routing);
		SocketInvocationContext invocation = SocketInvocationContext.message(connection, message, sequence);
		Flux<OutboundMessage> handled;
		try {
			Route route = this.handler.route(message, routing);
			handled = this.interceptors.isEmpty() ? encode(route, invokeNow(route, invocation, timer), id)
					: this.interceptors.beforeHandler(connection, route,
							Flux.defer(() -> encode(route, invokeNow(route, invocation, timer), id)));
		}
		catch (Throwable ex) {
			Exceptions.throwIfJvmFatal(ex);
			if (this.observations != null) {
				this.observations.unrouted(this.socket, ex);
			}
			handled = Flux.error(ex);
		}
		return resume(handled, (ex) -> this.failures.reply(ex, invocation, id.get(), timer));
	}

	private Flux<Object> invokeNow(Route route, SocketInvocationContext invocation, Scheduler timer) {
		Observations observations = this.observations;
		if (observations == null) {
			return route.method().invokeNow(invocation, timer);
		}
		return observations.invoke(this.socket, route.name().isEmpty() ? "default" : route.name(), route.method(),
				invocation, timer);
	}

	private Flux<OutboundMessage> encode(Route route, Flux<Object> values, Supplier<@Nullable JsonNode> id) {
		if (values instanceof Fuseable.ScalarCallable<?> known) {
			try {
				Object value = known.call();
				return (value != null) ? Flux.just(this.codec.encodeReply(value, id)) : Flux.empty();
			}
			catch (Exception ex) {
				return Flux.error(Failures.failed(route, Exceptions.unwrap(ex)));
			}
		}
		return values.map((value) -> this.codec.encodeReply(value, id)).onErrorMap((ex) -> Failures.failed(route, ex));
	}

	// onErrorResume, except that replies known already are answered now, and so stay
	// known: no operator is stacked on them.
	private static Flux<OutboundMessage> resume(Flux<OutboundMessage> replies,
			Function<Throwable, Flux<OutboundMessage>> fallback) {
		if (!(replies instanceof Fuseable.ScalarCallable<?> known)) {
			return replies.onErrorResume(fallback);
		}
		try {
			known.call();
			return replies;
		}
		catch (Exception ex) {
			return fallback.apply(Exceptions.unwrap(ex));
		}
	}

	/**
	 * The message's id, read from the routing header, or parsed when first needed and
	 * kept: a socket with only a default method reads it only for a reply that carries
	 * it, once whatever the number of replies.
	 */
	private final class MessageId implements Supplier<@Nullable JsonNode> {

		private final InboundMessage message;

		private @Nullable RoutingInfo routing;

		MessageId(InboundMessage message, @Nullable RoutingInfo routing) {
			this.message = message;
			this.routing = routing;
		}

		@Override
		public @Nullable JsonNode get() {
			RoutingInfo routing = this.routing;
			if (routing == null) {
				routing = InboundPipeline.this.codec.inspect(this.message);
				this.routing = routing;
			}
			return routing.id();
		}

	}

}
