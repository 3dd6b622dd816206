package dev.switchboard.runtime;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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

	InboundPipeline(SocketHandler handler, InterceptorChain interceptors, MessageCodec codec, Failures failures) {
		this.handler = handler;
		this.interceptors = interceptors;
		this.codec = codec;
		this.failures = failures;
	}

	/**
	 * Handles a message and queues its replies. Only a failure no reply can answer is
	 * signalled, for the connection to be closed.
	 * @param connection the connection the message came from
	 * @param message the message
	 * @return completes once the replies are queued
	 */
	Mono<Void> handle(NettySocketConnection connection, InboundMessage message) {
		Flux<OutboundMessage> replies = this.interceptors.isEmpty() ? dispatch(connection, message)
				: this.interceptors.onMessage(connection, message)
					.flatMapMany((accepted) -> dispatch(connection, accepted));
		return replies
			.onErrorResume(ClientErrorException.class,
					(refusal) -> Flux.just(this.failures.refusal(message, refusal.getCode(), refusal.getMessage())))
			.doOnNext(connection::offer)
			.then();
	}

	private Flux<OutboundMessage> dispatch(NettySocketConnection connection, InboundMessage message) {
		// Read once: routing, the replies and the error replies all use it.
		RoutingInfo routing = this.codec.inspect(message);
		SocketInvocationContext invocation = SocketInvocationContext.message(connection, message);
		return Flux.defer(() -> {
			Route route = this.handler.route(message, routing);
			Flux<OutboundMessage> handled = route.method()
				.invoke(invocation)
				.map((value) -> this.codec.encodeReply(value, routing.id()))
				.onErrorMap((ex) -> Failures.failed(route, ex));
			return this.interceptors.beforeHandler(connection, route, handled);
		}).onErrorResume((ex) -> this.failures.reply(ex, invocation, routing.id()));
	}

}
