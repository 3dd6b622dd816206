package dev.switchboard.docs;

import java.security.Principal;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Mono;

import dev.switchboard.ClientErrorException;
import dev.switchboard.CloseReason;
import dev.switchboard.ConnectionRejectedException;
import dev.switchboard.ErrorCode;
import dev.switchboard.SocketConnection;
import dev.switchboard.Switchboard;
import dev.switchboard.annotation.Attribute;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

@Socket("moderation")
class ModerationSocket {

	private final Switchboard switchboard;

	private final Moderators moderators;

	ModerationSocket(Switchboard switchboard, Moderators moderators) {
		this.switchboard = switchboard;
		this.moderators = moderators;
	}

	// tag::rejection[]
	@OnConnect
	void connected(SocketConnection connection, Principal principal) {
		if (principal == null) {
			throw new ConnectionRejectedException("sign in first");
		}
		if (this.moderators.isBanned(principal.getName())) {
			throw new ConnectionRejectedException(HttpStatus.FORBIDDEN, new CloseStatus(4003), "banned");
		}
		connection.attributes().put("moderator", this.moderators.isModerator(principal.getName()));
	}
	// end::rejection[]

	// tag::client-error[]
	@OnMessage("kick")
	Mono<Kicked> kick(@Attribute boolean moderator, Kick kick) {
		if (!moderator) {
			throw new ClientErrorException(ErrorCode.FORBIDDEN, "only moderators may kick");
		}
		if (kick.reason() == null || kick.reason().isBlank()) {
			throw new ClientErrorException("a reason is required");
		}
		return this.switchboard.toUser(kick.user())
			.close(CloseReason.POLICY_VIOLATION.withReason(kick.reason()))
			.map((result) -> new Kicked(kick.user(), result.reached()));
	}
	// end::client-error[]

	// Only moderators get here: RouteAccessInterceptor refuses the route "ban" to others.
	@OnMessage("ban")
	Banned ban(Ban ban) {
		return new Banned(ban.user());
	}

	interface Moderators {

		boolean isBanned(String user);

		boolean isModerator(String user);

	}

	record Kick(String user, String reason) {
	}

	record Kicked(String user, int connections) {
	}

	record Ban(String user) {
	}

	record Banned(String user) {
	}

}
