package dev.switchboard.handler.support;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The settings of one socket, from its {@code @Socket} annotation and the global
 * defaults.
 *
 * @param name the socket's name
 * @param path the path the endpoint is mapped to
 * @param maxMessageSize largest inbound message, in bytes
 * @param handlerTimeout default timeout of its handler methods, {@code null} for none
 * @param allowedOrigins origins allowed for this socket, {@code null} for the global ones
 * @param subprotocols subprotocols in order of preference
 * @param concurrency messages of one connection handled at the same time
 * @param ordered whether replies keep the order of the messages when the concurrency is
 * above 1
 * @param authenticated whether connections need an authenticated user
 * @param recovery whether connections recover the messages of streams with history that
 * they missed
 * @since 0.1.0
 */
public record SocketSettings(String name, String path, int maxMessageSize, @Nullable Duration handlerTimeout,
		@Nullable List<String> allowedOrigins, List<String> subprotocols, int concurrency, boolean ordered,
		boolean authenticated, boolean recovery) {

	/**
	 * The global settings a socket falls back on.
	 *
	 * @param pathPrefix prefix of the paths derived from socket names
	 * @param maxMessageSize largest inbound message, in bytes
	 * @param handlerTimeout timeout of handler methods, {@code null} for none
	 */
	public record Defaults(String pathPrefix, int maxMessageSize, @Nullable Duration handlerTimeout) {

	}

}
