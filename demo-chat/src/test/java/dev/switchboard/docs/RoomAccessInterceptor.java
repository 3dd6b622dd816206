package dev.switchboard.docs;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ErrorCode;
import dev.switchboard.SocketConnection;
import dev.switchboard.SocketInterceptor;

// tag::on-join[]
@Component
class RoomAccessInterceptor implements SocketInterceptor {

	@Override
	public Mono<Void> onJoin(SocketConnection connection, String room) {
		boolean staff = connection.principal() instanceof ChatUser user && user.hasRole("staff");
		if (room.startsWith("staff:") && !staff) {
			return Mono.error(new ClientErrorException(ErrorCode.FORBIDDEN, "room " + room + " is for staff"));
		}
		return Mono.empty();
	}

}
// end::on-join[]
