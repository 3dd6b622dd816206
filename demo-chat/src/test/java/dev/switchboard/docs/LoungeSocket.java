package dev.switchboard.docs;

import dev.switchboard.ConnectionRejectedException;
import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.Attribute;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.QueryParam;
import dev.switchboard.annotation.Socket;

// tag::on-connect[]
@Socket("lounge")
class LoungeSocket {

	@OnConnect
	Welcome connected(SocketConnection connection, @QueryParam String nickname) {
		if (nickname == null || nickname.isBlank()) {
			throw new ConnectionRejectedException("a nickname is required");
		}
		connection.attributes().put("nickname", nickname);
		return new Welcome(connection.id(), nickname);
	}

	@OnMessage("say")
	Said say(@Attribute String nickname, Say say) {
		return new Said(nickname, say.text());
	}

	record Welcome(String connectionId, String nickname) {
	}

	record Say(String text) {
	}

	record Said(String from, String text) {
	}

}
// end::on-connect[]
