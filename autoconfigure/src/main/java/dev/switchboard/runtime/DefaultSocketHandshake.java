package dev.switchboard.runtime;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;

import dev.switchboard.SocketHandshake;

/**
 * A handshake request as interceptors see it, snapshotted from the exchange.
 */
final class DefaultSocketHandshake implements SocketHandshake {

	private static final MultiValueMap<String, String> NO_QUERY_PARAMS = CollectionUtils
		.unmodifiableMultiValueMap(new LinkedMultiValueMap<>());

	private final String socket;

	private final URI uri;

	private final HttpHeaders headers;

	private final MultiValueMap<String, HttpCookie> cookies;

	private final MultiValueMap<String, String> queryParams;

	private final Map<String, String> pathVariables;

	private final @Nullable InetSocketAddress remoteAddress;

	private final List<String> offeredSubprotocols;

	private final Map<String, Object> attributes = new LinkedHashMap<>();

	private final Runnable permit;

	private volatile @Nullable Principal principal;

	DefaultSocketHandshake(String socket, ServerWebExchange exchange, List<String> offeredSubprotocols,
			Runnable permit) {
		ServerHttpRequest request = exchange.getRequest();
		this.socket = socket;
		this.uri = request.getURI();
		// Read-only views, not copies: the request lives as long as the connection, and
		// nothing changes it once the handshake is admitted.
		this.headers = HttpHeaders.readOnlyHttpHeaders(request.getHeaders());
		this.cookies = CollectionUtils.unmodifiableMultiValueMap(request.getCookies());
		this.queryParams = CollectionUtils.unmodifiableMultiValueMap(request.getQueryParams());
		this.pathVariables = Map.copyOf(exchange.getAttributeOrDefault(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE,
				Collections.<String, String>emptyMap()));
		this.remoteAddress = request.getRemoteAddress();
		this.offeredSubprotocols = List.copyOf(offeredSubprotocols);
		this.permit = permit;
	}

	/**
	 * Releases the handshake's place in the per-instance count, once whoever calls it.
	 * @return the release
	 */
	Runnable permit() {
		return this.permit;
	}

	@Override
	public String socket() {
		return this.socket;
	}

	@Override
	public URI uri() {
		return this.uri;
	}

	@Override
	public HttpHeaders headers() {
		return this.headers;
	}

	@Override
	public MultiValueMap<String, HttpCookie> cookies() {
		return this.cookies;
	}

	@Override
	public MultiValueMap<String, String> queryParams() {
		return this.queryParams;
	}

	@Override
	public Map<String, String> pathVariables() {
		return this.pathVariables;
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return this.remoteAddress;
	}

	@Override
	public List<String> offeredSubprotocols() {
		return this.offeredSubprotocols;
	}

	@Override
	public @Nullable Principal principal() {
		return this.principal;
	}

	@Override
	public void authenticate(Principal principal) {
		this.principal = principal;
	}

	@Override
	public Map<String, Object> attributes() {
		return this.attributes;
	}

	AcceptedHandshake toHandshake(@Nullable String subprotocol) {
		// What an idle connection holds adds up: no empty maps of its own.
		MultiValueMap<String, String> queryParams = this.queryParams.isEmpty() ? NO_QUERY_PARAMS : this.queryParams;
		Map<String, Object> attributes = this.attributes.isEmpty() ? Map.of() : new LinkedHashMap<>(this.attributes);
		return new AcceptedHandshake(this.uri.toString(), this.headers, queryParams, this.pathVariables,
				this.remoteAddress, this.principal, subprotocol, attributes);
	}

	@Override
	public String toString() {
		return "SocketHandshake[" + this.socket + " from " + this.remoteAddress + "]";
	}

}
