package dev.switchboard.docs;

import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Mono;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ErrorCode;
import dev.switchboard.InboundMessage;
import dev.switchboard.SocketConnection;
import dev.switchboard.SocketInterceptor;

// tag::interceptor[]
@Component
@Order(2)
class MuteInterceptor implements SocketInterceptor {

	private static final Log logger = LogFactory.getLog(MuteInterceptor.class);

	private final MuteList mutes;

	MuteInterceptor(MuteList mutes) {
		this.mutes = mutes;
	}

	@Override
	public Mono<Void> onConnect(SocketConnection connection) {
		connection.attributes().put("connectedAt", Instant.now());
		return Mono.empty();
	}

	@Override
	public Mono<InboundMessage> onMessage(SocketConnection connection, InboundMessage message) {
		if (connection.user() == null) {
			return Mono.just(message);
		}
		return this.mutes.isMuted(connection.user())
			.flatMap((muted) -> muted ? Mono.error(new ClientErrorException(ErrorCode.FORBIDDEN, "you are muted"))
					: Mono.just(message));
	}

	@Override
	public Mono<Void> onDisconnect(SocketConnection connection, CloseStatus status) {
		Instant connectedAt = connection.attribute("connectedAt");
		logger.info("Connection " + connection.id() + " closed with " + status.getCode() + " after "
				+ Duration.between(connectedAt, Instant.now()).toSeconds() + "s");
		return Mono.empty();
	}

	interface MuteList {

		Mono<Boolean> isMuted(String user);

	}

}
// end::interceptor[]
