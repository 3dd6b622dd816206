package dev.switchboard.handler.support;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What routing needs of an inbound message, read once per message: whether it is a JSON
 * object, its type and id, and what is wrong with it, if anything.
 *
 * @param jsonObject whether the message is a well-formed JSON object
 * @param type value of the type field, or {@code null}
 * @param id value of the {@code id} field, echoed on replies, or {@code null}
 * @param problem why the message cannot be routed, or {@code null}
 */
public record RoutingInfo(boolean jsonObject, @Nullable String type, @Nullable JsonNode id, @Nullable String problem) {

	static final RoutingInfo NOT_AN_OBJECT = new RoutingInfo(false, null, null, null);

	static RoutingInfo malformed(String problem) {
		return new RoutingInfo(false, null, null, problem);
	}

}
