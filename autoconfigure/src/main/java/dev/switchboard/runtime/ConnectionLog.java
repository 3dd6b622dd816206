package dev.switchboard.runtime;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * The log lines of connections, under two logger names that operators turn on or off:
 * {@value #CONNECTIONS} logs each connection's opening and close at DEBUG and the
 * connections lost at INFO; {@value #REJECTIONS} logs at INFO the handshakes refused, the
 * connections closed for what their client did, and the messages refused for the rate.
 * The INFO lines are throttled per reason, so that a flood of refusals is a few lines and
 * a count; at DEBUG, the lines the throttle holds back are logged at DEBUG instead. A
 * line names the connection id where there is one, the socket, the user and the client's
 * address, never a token, a query string, a header or a message.
 */
final class ConnectionLog {

	/**
	 * Logger of openings and closes (DEBUG) and of connections lost (INFO).
	 */
	static final String CONNECTIONS = "dev.switchboard.connections";

	/**
	 * Logger of refusals and of connections closed for what their client did (INFO).
	 */
	static final String REJECTIONS = "dev.switchboard.rejections";

	private static final String ANONYMOUS = "anonymous";

	private final Log connections;

	private final ThrottledLog lost;

	private final ThrottledLog rejections;

	ConnectionLog(ServerSettings.Logging settings) {
		this.connections = LogFactory.getLog(CONNECTIONS);
		this.lost = new ThrottledLog(this.connections, settings.linesPerInterval(), settings.interval());
		this.rejections = new ThrottledLog(LogFactory.getLog(REJECTIONS), settings.linesPerInterval(),
				settings.interval());
	}

	/**
	 * A connection opened: its {@code @OnConnect} method, if any, completed.
	 * @param connection the connection
	 */
	void opened(NettySocketConnection connection) {
		if (this.connections.isDebugEnabled()) {
			this.connections.debug("Connection opened: " + describe(connection));
		}
	}

	/**
	 * A connection closed: a DEBUG line, or an INFO line for a rejection or a loss.
	 * @param connection the connection
	 * @param rejectedWhileOpening whether its opening failed (registration, interceptors,
	 * {@code @OnConnect}): a close the server sent for it, other than a 1011 for its own
	 * failure, is a rejection
	 */
	void closed(NettySocketConnection connection, boolean rejectedWhileOpening) {
		CloseStatus status = connection.finalStatus();
		CloseState.Ending ending = connection.ending();
		if (isRejection(ending, status) || (rejectedWhileOpening && ending == CloseState.Ending.SERVER
				&& status.getCode() != CloseStatus.SERVER_ERROR.getCode())) {
			log(this.rejections, "rejected " + status.getCode(),
					() -> "Connection rejected: " + describe(connection) + describe(status));
		}
		else if (isLoss(ending, status)) {
			log(this.lost, "lost " + status.getCode(),
					() -> "Connection lost: " + describe(connection) + describe(status));
		}
		else if (this.connections.isDebugEnabled()) {
			this.connections.debug("Connection closed: " + describe(connection) + describe(status) + " closed-by="
					+ ending.name().toLowerCase().replace('_', '-'));
		}
	}

	/**
	 * A handshake was refused, with an HTTP status or with a close right after the
	 * upgrade.
	 * @param socket the socket's name
	 * @param user the user, if known
	 * @param remote the client's address
	 * @param status the status
	 * @param reason the reason given to the client
	 */
	void handshakeRefused(String socket, @Nullable String user, @Nullable SocketAddress remote, HttpStatusCode status,
			String reason) {
		log(this.rejections, "handshake " + status.value(),
				() -> "Handshake refused: socket=" + socket + " user=" + clean((user != null) ? user : ANONYMOUS)
						+ address(remote) + " status=" + status.value() + " reason=\"" + clean(reason) + "\"");
	}

	/**
	 * A message over the connection's rate was dropped, and answered with an error reply.
	 * @param connection the connection
	 */
	void rateLimited(NettySocketConnection connection) {
		log(this.rejections, "message rate",
				() -> "Message refused: " + describe(connection) + " reason=\"rate limit exceeded\"");
	}

	/**
	 * A TCP connection was closed before it completed a handshake in time.
	 * @param remote the client's address
	 */
	void handshakeTimedOut(@Nullable SocketAddress remote) {
		log(this.rejections, "handshake timeout", () -> "Handshake timed out:" + address(remote)
				+ " reason=\"no handshake within the handshake timeout\"");
	}

	/**
	 * A request that cannot be decoded was answered and its connection closed.
	 * @param remote the client's address
	 * @param status the status it was answered with
	 */
	void invalidRequest(@Nullable SocketAddress remote, int status) {
		log(this.rejections, "invalid request " + status,
				() -> "Invalid request refused:" + address(remote) + " status=" + status);
	}

	// A line the throttle holds back is still a DEBUG line, for those who want them all.
	private static void log(ThrottledLog log, String kind, Supplier<String> message) {
		if (!log.info(kind, message) && log.log().isDebugEnabled()) {
			log.log().debug(message.get());
		}
	}

	// What the client did: a protocol failure, a policy or a limit. A 1011 is the
	// server's failure, logged where it happened.
	private static boolean isRejection(CloseState.Ending ending, CloseStatus status) {
		if (ending == CloseState.Ending.PROTOCOL_FAILURE) {
			return true;
		}
		if (ending != CloseState.Ending.SERVER) {
			return false;
		}
		return switch (status.getCode()) {
			case 1002, 1007, 1008, 1009 -> true;
			case 1001 -> status.equals(KeepAliveHandler.IDLE_TIMEOUT);
			case 1013 -> !isLoss(ending, status);
			default -> false;
		};
	}

	// The client went away, stopped answering or stopped reading.
	private static boolean isLoss(CloseState.Ending ending, CloseStatus status) {
		if (ending == CloseState.Ending.NONE) {
			return true;
		}
		return ending == CloseState.Ending.SERVER && (status.equals(KeepAliveHandler.PING_TIMEOUT)
				|| status.equals(KeepAliveHandler.WRITE_TIMEOUT) || status.equals(NettySocketConnection.OUTBOUND_FULL));
	}

	private static String describe(NettySocketConnection connection) {
		String user = connection.user();
		return "id=" + connection.id() + " socket=" + connection.socket() + " user="
				+ ((user != null) ? clean(user) : ANONYMOUS) + address(connection.remoteAddress());
	}

	private static String describe(CloseStatus status) {
		String reason = status.getReason();
		return " code=" + status.getCode()
				+ ((reason != null && !reason.isEmpty()) ? " reason=\"" + clean(reason) + "\"" : "");
	}

	// The address without a host name lookup, and never the request's URI.
	private static String address(@Nullable SocketAddress remote) {
		if (remote instanceof InetSocketAddress inet) {
			return " remote=" + inet.getHostString() + ":" + inet.getPort();
		}
		return (remote != null) ? " remote=" + remote : "";
	}

	// A close reason or a user name may come from the client: it cannot break a line or
	// a quoted value.
	static String clean(String text) {
		StringBuilder cleaned = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean escaped = c < 0x20 || c == 0x7f || c == '"' || c == '\\';
			if (escaped && cleaned == null) {
				cleaned = new StringBuilder(text.length() + 8).append(text, 0, i);
			}
			if (cleaned != null) {
				if (c == '"' || c == '\\') {
					cleaned.append('\\').append(c);
				}
				else if (escaped) {
					cleaned.append(String.format("\\u%04x", (int) c));
				}
				else {
					cleaned.append(c);
				}
			}
		}
		return (cleaned != null) ? cleaned.toString() : text;
	}

}
