package dev.switchboard.sockets;

import tools.jackson.databind.JsonNode;

import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

@Socket("routing")
class RoutingSocket {

	@OnMessage("greet")
	Reply greet(Greet greet) {
		return new Reply("greeted", "hello " + greet.name());
	}

	@OnMessage({ "a", "b" })
	Reply either(JsonNode message) {
		return new Reply("either", message.get("type").asString());
	}

	@OnMessage("join-room")
	Reply join(Rooms.Join join) {
		return new Reply("joined", "room " + join.room());
	}

	@OnMessage("join-game")
	Reply join(Games.Join join) {
		return new Reply("joined", "game " + join.game());
	}

	@OnMessage
	String fallback(String text) {
		return "fallback:" + text;
	}

	record Greet(String name) {
	}

	record Reply(String type, String text) {
	}

	interface Rooms {

		record Join(String room) {
		}

	}

	interface Games {

		record Join(String game) {
		}

	}

}
