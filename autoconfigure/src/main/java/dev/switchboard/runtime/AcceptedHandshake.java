package dev.switchboard.runtime;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;

/**
 * What a connection keeps of its handshake request.
 *
 * @param uri the request's URI, as text: one string instead of the parsed URI's parts
 * @param headers the request's headers, read-only
 * @param queryParams the query parameters, read-only
 * @param pathVariables the variables of the socket's path template
 * @param remoteAddress the client's address
 * @param principal the authenticated principal
 * @param subprotocol the negotiated subprotocol
 * @param attributes attributes set during the handshake
 */
record AcceptedHandshake(String uri, HttpHeaders headers, MultiValueMap<String, String> queryParams,
		Map<String, String> pathVariables, @Nullable InetSocketAddress remoteAddress, @Nullable Principal principal,
		@Nullable String subprotocol, Map<String, Object> attributes) {

	@Nullable String user() {
		return (this.principal != null) ? this.principal.getName() : null;
	}

}
