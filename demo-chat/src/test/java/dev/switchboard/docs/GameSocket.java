package dev.switchboard.docs;

import java.security.Principal;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ErrorCode;
import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.Attribute;
import dev.switchboard.annotation.Header;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.PathParam;
import dev.switchboard.annotation.QueryParam;
import dev.switchboard.annotation.Socket;

// tag::parameters[]
@Socket(name = "games", path = "/games/{game}")
class GameSocket {

	@OnConnect
	void connected(SocketConnection connection, @PathParam("game") long gameId,
			@QueryParam(defaultValue = "spectator") String role,
			@Header(value = "User-Agent", defaultValue = "unknown") String userAgent, Principal principal) {
		String player = (principal != null) ? principal.getName() : "anonymous";
		connection.attributes().put("role", role);
		connection.attributes().put("player", player);
		connection.attributes().put("client", userAgent);
	}

	@OnMessage("move")
	Moved move(@PathParam long game, @Attribute String role, @Attribute("player") String player, Move move) {
		if (!"player".equals(role)) {
			throw new ClientErrorException(ErrorCode.FORBIDDEN, "spectators cannot move");
		}
		return new Moved(game, player, move.from(), move.to());
	}

	record Move(String from, String to) {
	}

	record Moved(long game, String player, String from, String to) {
	}

}
// end::parameters[]
