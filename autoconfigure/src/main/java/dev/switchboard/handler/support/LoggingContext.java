package dev.switchboard.handler.support;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import dev.switchboard.RequestId;
import dev.switchboard.SocketConnection;
import dev.switchboard.handler.SocketInvocation;

/**
 * The SLF4J MDC of a handler method's call: the connection, its socket and user, and the
 * request id of the message, set on the thread that calls the method for as long as the
 * call lasts. Loaded only when the MDC is wanted and SLF4J is there.
 */
final class LoggingContext {

	static final String CONNECTION_ID = "switchboard.connectionId";

	static final String SOCKET = "switchboard.socket";

	static final String USER = "switchboard.user";

	static final String REQUEST_ID = "switchboard.requestId";

	private LoggingContext() {
	}

	static void put(SocketInvocation invocation) {
		SocketConnection connection = invocation.connection();
		MDC.put(CONNECTION_ID, connection.id());
		MDC.put(SOCKET, connection.socket());
		putOrRemove(USER, connection.user());
		RequestId requestId = invocation.requestId();
		putOrRemove(REQUEST_ID, (requestId != null) ? requestId.toString() : null);
	}

	static void clear() {
		MDC.remove(CONNECTION_ID);
		MDC.remove(SOCKET);
		MDC.remove(USER);
		MDC.remove(REQUEST_ID);
	}

	private static void putOrRemove(String key, @Nullable String value) {
		if (value != null) {
			MDC.put(key, value);
		}
		else {
			MDC.remove(key);
		}
	}

}
