package dev.switchboard.docs;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.ConnectionRejectedException;
import dev.switchboard.SocketHandshake;
import dev.switchboard.SocketInterceptor;

// tag::before-handshake[]
@Component
@Order(1)
class AdminInterceptor implements SocketInterceptor {

	@Override
	public Mono<Void> beforeHandshake(SocketHandshake handshake) {
		if (!handshake.socket().equals("admin-console")) {
			return Mono.empty();
		}
		if (!(handshake.principal() instanceof ChatUser user) || !user.hasRole("admin")) {
			// 403 before the upgrade (1008 after it, with reject-after-upgrade)
			return Mono.error(new ConnectionRejectedException("administrators only"));
		}
		handshake.attributes().put("role", "admin");
		return Mono.empty();
	}

}
// end::before-handshake[]
