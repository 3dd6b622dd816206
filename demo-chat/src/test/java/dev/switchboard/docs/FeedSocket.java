package dev.switchboard.docs;

import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

// tag::placeholders[]
@Socket(name = "feed", maxMessageSize = "${feed.max-message-size:128KB}",
		allowedOrigins = { "${feed.web-origin}", "${feed.admin-origin:https://admin.example.com}" })
class FeedSocket {

	@OnMessage
	String echo(String text) {
		return text;
	}

}
// end::placeholders[]
