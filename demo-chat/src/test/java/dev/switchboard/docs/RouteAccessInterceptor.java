package dev.switchboard.docs;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ErrorCode;
import dev.switchboard.SocketConnection;
import dev.switchboard.SocketInterceptor;

// tag::before-handler[]
@Component
class RouteAccessInterceptor implements SocketInterceptor {

	@Override
	public Mono<Void> beforeHandler(SocketConnection connection, String route) {
		boolean moderator = connection.principal() instanceof ChatUser user && user.hasRole("moderator");
		if (route.equals("ban") && !moderator) {
			return Mono.error(new ClientErrorException(ErrorCode.FORBIDDEN, "moderators only"));
		}
		return Mono.empty();
	}

}
// end::before-handler[]
