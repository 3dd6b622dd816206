package dev.switchboard.runtime;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.switchboard.OverflowPolicy;
import dev.switchboard.RateLimitAction;

/**
 * Settings of the WebSocket server runtime.
 *
 * @param instanceId id of this instance in the cluster, part of every connection id
 * @param handshakeTimeout time from a TCP connection's accept to its upgrade, after which
 * it is closed
 * @param closeTimeout how long a close handshake may take before the TCP connection is
 * closed
 * @param pingInterval silence after which the server pings a connection, zero for never
 * @param pongTimeout how long the server waits for an answer to a ping
 * @param idleTimeout time without messages from the client after which its connection is
 * closed, zero for never
 * @param outboundBufferSize bytes that may wait to be written to one connection
 * @param overflowPolicy what happens to a message when that buffer is full
 * @param writeTimeout time the network may take none of a connection's data while some
 * waits, after which it is closed with 1013; zero for never
 * @param allowedOrigins origins allowed to connect; empty for same-origin only
 * @param allowMissingOrigin whether a handshake without an Origin header is allowed
 * @param compression whether permessage-deflate is negotiated
 * @param shutdownTimeout how long shutdown waits for connections to close and sends in
 * flight to end
 * @param security authentication at the handshake
 * @param limits limits on clients
 * @param logging the log lines of connections and the logging context of handlers
 * @since 0.1.0
 */
public record ServerSettings(String instanceId, Duration handshakeTimeout, Duration closeTimeout, Duration pingInterval,
		Duration pongTimeout, Duration idleTimeout, long outboundBufferSize, OverflowPolicy overflowPolicy,
		Duration writeTimeout, List<String> allowedOrigins, boolean allowMissingOrigin, boolean compression,
		Duration shutdownTimeout, Security security, Limits limits, Logging logging) {

	/**
	 * Authentication at the handshake.
	 *
	 * @param requireAuthentication whether every socket needs a user
	 * @param rejectAfterUpgrade whether refusals are sent as a 1008 close after the
	 * upgrade
	 * @param tokenHeader header carrying {@code Bearer <token>}, empty for none
	 * @param tokenSubprotocol subprotocol marker offered before a token, empty for none
	 * @param tokenCookie cookie carrying the token, {@code null} for none
	 * @param tokenQueryParameter query parameter carrying the token, {@code null} for
	 * none
	 */
	public record Security(boolean requireAuthentication, boolean rejectAfterUpgrade, String tokenHeader,
			String tokenSubprotocol, @Nullable String tokenCookie, @Nullable String tokenQueryParameter) {

		/**
		 * No authentication required, tokens from the header and the subprotocol marker.
		 */
		public static final Security DEFAULTS = new Security(false, false, "Authorization", "switchboard.token", null,
				null);

	}

	/**
	 * Limits on clients.
	 *
	 * @param messagesPerSecond average message rate per connection, 0 for no limit
	 * @param messageBurst messages allowed at once above the rate
	 * @param rateLimitAction what happens to a message over the rate
	 * @param connectionsPerUser connections per user across the cluster, 0 for no limit
	 * @param connectionsPerInstance connections on this instance, 0 for no limit
	 */
	public record Limits(int messagesPerSecond, int messageBurst, RateLimitAction rateLimitAction,
			int connectionsPerUser, int connectionsPerInstance) {

		/**
		 * No limits.
		 */
		public static final Limits NONE = new Limits(0, 0, RateLimitAction.REPLY, 0, 0);

	}

	/**
	 * The log lines of connections and the logging context of handlers.
	 *
	 * @param linesPerInterval INFO lines of one reason (a kind of rejection or loss)
	 * logged per interval; the others are counted
	 * @param interval the interval
	 * @param mdc whether handlers run with the connection and request in the SLF4J MDC
	 */
	public record Logging(int linesPerInterval, Duration interval, boolean mdc) {

		/**
		 * Ten lines of a reason a minute, and the MDC set.
		 */
		public static final Logging DEFAULTS = new Logging(10, Duration.ofMinutes(1), true);

	}

}
