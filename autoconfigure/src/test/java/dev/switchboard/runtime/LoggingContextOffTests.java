package dev.switchboard.runtime;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code switchboard.logging.mdc=false}, handlers run with nothing in the MDC, and
 * still receive the request id as a parameter.
 */
@TestPropertySource(properties = "switchboard.logging.mdc=false")
class LoggingContextOffTests extends SocketTestSupport {

	@Test
	void leavesTheMdcAloneAndStillGivesHandlersTheRequestId() {
		try (WsClient client = connect("/ws/logging?user=ada")) {
			for (String type : new String[] { "plain", "non-blocking" }) {
				client.send("{\"type\":\"" + type + "\"}");
				JsonNode context = client.nextJson();
				assertThat(context.get("requestId").asString()).as(type)
					.startsWith(context.get("connectionId").asString() + ":");
				assertThat(context.get("mdcRequestId").asString()).as(type).isEqualTo("null");
				assertThat(context.get("mdcConnectionId").asString()).as(type).isEqualTo("null");
				assertThat(context.get("mdcUser").asString()).as(type).isEqualTo("null");
			}
		}
	}

}
