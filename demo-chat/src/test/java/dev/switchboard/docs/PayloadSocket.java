package dev.switchboard.docs;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;

import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

@Socket("payloads")
class PayloadSocket {

	private static final Log logger = LogFactory.getLog(PayloadSocket.class);

	// tag::string[]
	@OnMessage("log")
	void log(String json) {
		logger.info("Client says " + json);
	}
	// end::string[]

	// tag::json-node[]
	@OnMessage("count")
	Counted count(JsonNode message) {
		return new Counted(message.path("items").size());
	}
	// end::json-node[]

	// tag::bytes[]
	@OnMessage
	Received upload(byte[] bytes) {
		return new Received(bytes.length);
	}
	// end::bytes[]

	record Counted(int items) {
	}

	record Received(int bytes) {
	}

}
