package dev.switchboard.runtime;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * A protocol failure found in what a client sent, passed down the pipeline after the
 * messages that came before it: the connection is failed once they are handled, so that
 * their replies go out before the close frame.
 *
 * @param status the close status the failure calls for
 */
record InboundFailure(CloseStatus status) {

	static InboundFailure of(WebSocketCloseStatus status, String reason) {
		return new InboundFailure(CloseState.fitToFrame(new CloseStatus(status.code(), reason)));
	}

	static InboundFailure protocolError(String reason) {
		return of(WebSocketCloseStatus.PROTOCOL_ERROR, reason);
	}

}
