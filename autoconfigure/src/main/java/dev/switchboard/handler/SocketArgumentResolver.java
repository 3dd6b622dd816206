package dev.switchboard.handler;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;

/**
 * Resolves a parameter of a handler method. Every bean of this type is consulted after
 * the built-in resolvers of annotated and well-known parameters
 * ({@code SocketConnection}, {@code Principal}, ...) and before the payload, in
 * {@code @Order} order.
 * <p>
 * {@link #supportsParameter(MethodParameter)} is called once per parameter at startup;
 * the answer is cached, so it must depend on the parameter only. Resolution happens on
 * the thread that handles the message and must not block; load data asynchronously in an
 * interceptor and hand it over through the connection's attributes.
 *
 * @since 0.1.0
 */
public interface SocketArgumentResolver {

	/**
	 * Whether this resolver resolves the parameter.
	 * @param parameter the parameter of a handler method
	 * @return {@code true} to be used for it
	 */
	boolean supportsParameter(MethodParameter parameter);

	/**
	 * Resolves the parameter for one invocation.
	 * @param parameter the parameter
	 * @param invocation the invocation
	 * @return the argument, or {@code null}
	 * @throws dev.switchboard.ClientErrorException to answer the client with an error
	 */
	@Nullable Object resolveArgument(MethodParameter parameter, SocketInvocation invocation);

}
