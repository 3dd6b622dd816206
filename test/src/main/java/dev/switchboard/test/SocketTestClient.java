package dev.switchboard.test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A WebSocket client for tests of a Switchboard application, in the style of
 * {@code WebTestClient}: bind it to the application's port or URL, describe the
 * handshake, then {@link #connect()} and state what the socket answers with the
 * {@link SocketTestSession} returned. <pre class="code">
 * SocketTestClient client = SocketTestClient.bindToPort(port).path("/ws/chat");
 * try (SocketTestSession session = client.token("ann-token").connect()) {
 *     session.expectType("welcome");
 *     JsonNode reply = session.request("echo", Map.of("text", "hi"));
 * }
 * client.origin("https://evil.example").expectHandshakeRejected(403);
 * </pre> Instances are immutable: each method returns a new client, so a test can keep a
 * base client in a field and derive the handshakes it needs.
 *
 * @since 0.1.0
 */
public final class SocketTestClient {

	/**
	 * How long a session waits for what it expects unless told otherwise.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * The subprotocol that marks the next one as a token, Switchboard's default
	 * ({@code switchboard.security.token.subprotocol}).
	 */
	public static final String TOKEN_MARKER = "switchboard.token";

	private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/1\\.1 (\\d{3})");

	private final String host;

	private final int port;

	private final String path;

	private final Map<String, List<String>> queryParams;

	private final Map<String, String> headers;

	private final List<String> subprotocols;

	private final @Nullable String token;

	private final Duration timeout;

	private final String typeField;

	private SocketTestClient(String host, int port, String path, Map<String, List<String>> queryParams,
			Map<String, String> headers, List<String> subprotocols, @Nullable String token, Duration timeout,
			String typeField) {
		this.host = host;
		this.port = port;
		this.path = path;
		this.queryParams = queryParams;
		this.headers = headers;
		this.subprotocols = subprotocols;
		this.token = token;
		this.timeout = timeout;
		this.typeField = typeField;
	}

	/**
	 * A client of the application listening on a port of this host, as the
	 * {@code @LocalServerPort} of a {@code @SpringBootTest} gives it.
	 * @param port the application's port
	 * @return the client
	 */
	public static SocketTestClient bindToPort(int port) {
		return bindToUrl("ws://localhost:" + port);
	}

	/**
	 * A client of the application at a URL, {@code ws://host:port} or
	 * {@code http://host:port}, with an optional path that {@link #path(String)} appends
	 * to. TLS ({@code wss}, {@code https}) is not supported.
	 * @param url the application's URL
	 * @return the client
	 */
	public static SocketTestClient bindToUrl(String url) {
		URI uri = URI.create(url);
		String scheme = uri.getScheme();
		if (!"ws".equals(scheme) && !"http".equals(scheme)) {
			throw new IllegalArgumentException("Expected a ws:// or http:// URL, got " + url);
		}
		if (uri.getHost() == null) {
			throw new IllegalArgumentException("Expected a URL with a host, got " + url);
		}
		int port = (uri.getPort() != -1) ? uri.getPort() : 80;
		String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
		return new SocketTestClient(uri.getHost(), port,
				path.endsWith("/") ? path.substring(0, path.length() - 1) : path, Map.of(), Map.of(), List.of(), null,
				DEFAULT_TIMEOUT, "type");
	}

	/**
	 * A client of the socket at a path of the application, such as {@code /ws/chat}.
	 * @param path the path, appended to the URL's
	 * @return a new client
	 */
	public SocketTestClient path(String path) {
		String appended = this.path + (path.startsWith("/") ? path : "/" + path);
		return new SocketTestClient(this.host, this.port, appended, this.queryParams, this.headers, this.subprotocols,
				this.token, this.timeout, this.typeField);
	}

	/**
	 * A client whose handshake carries a query parameter, URL-encoded.
	 * @param name the parameter's name
	 * @param value its value, added to those the parameter already has
	 * @return a new client
	 */
	public SocketTestClient queryParam(String name, Object value) {
		Map<String, List<String>> params = new LinkedHashMap<>(this.queryParams);
		List<String> values = new ArrayList<>(params.getOrDefault(name, List.of()));
		values.add(String.valueOf(value));
		params.put(name, List.copyOf(values));
		return new SocketTestClient(this.host, this.port, this.path, Collections.unmodifiableMap(params), this.headers,
				this.subprotocols, this.token, this.timeout, this.typeField);
	}

	/**
	 * A client whose handshake carries a header.
	 * @param name the header's name
	 * @param value its value, replacing any earlier one
	 * @return a new client
	 */
	public SocketTestClient header(String name, String value) {
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return new SocketTestClient(this.host, this.port, this.path, this.queryParams,
				Collections.unmodifiableMap(headers), this.subprotocols, this.token, this.timeout, this.typeField);
	}

	/**
	 * A client whose handshake carries an {@code Origin} header, as a browser's does.
	 * Without it, the handshake carries the server's own origin,
	 * {@code http://host:port}, which Switchboard accepts.
	 * @param origin the origin, such as {@code https://chat.example.com}
	 * @return a new client
	 */
	public SocketTestClient origin(String origin) {
		return header("Origin", origin);
	}

	/**
	 * A client that presents a token the way a browser does: as the subprotocol that
	 * follows the {@link #TOKEN_MARKER} marker. Switchboard selects the marker, or one of
	 * the {@link #subprotocols(String...) subprotocols} the socket declares. For a token
	 * in a header, use {@code header("Authorization", "Bearer " + token)}.
	 * @param token the token
	 * @return a new client
	 */
	public SocketTestClient token(String token) {
		return new SocketTestClient(this.host, this.port, this.path, this.queryParams, this.headers, this.subprotocols,
				token, this.timeout, this.typeField);
	}

	/**
	 * A client that offers subprotocols, in order of preference.
	 * @param subprotocols the subprotocols, replacing any earlier ones
	 * @return a new client
	 */
	public SocketTestClient subprotocols(String... subprotocols) {
		return new SocketTestClient(this.host, this.port, this.path, this.queryParams, this.headers,
				List.of(subprotocols), this.token, this.timeout, this.typeField);
	}

	/**
	 * A client whose sessions wait that long for what they expect before they fail.
	 * @param timeout the timeout, {@link #DEFAULT_TIMEOUT} unless set
	 * @return a new client
	 */
	public SocketTestClient timeout(Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("The timeout must be positive, got " + timeout);
		}
		return new SocketTestClient(this.host, this.port, this.path, this.queryParams, this.headers, this.subprotocols,
				this.token, timeout, this.typeField);
	}

	/**
	 * A client for an application whose messages name their type in another field
	 * ({@code switchboard.type-field}).
	 * @param typeField the field, {@code type} unless set
	 * @return a new client
	 */
	public SocketTestClient typeField(String typeField) {
		return new SocketTestClient(this.host, this.port, this.path, this.queryParams, this.headers, this.subprotocols,
				this.token, this.timeout, typeField);
	}

	/**
	 * The URI the handshake goes to.
	 * @return the {@code ws://} URI, with the query parameters
	 */
	public URI uri() {
		return URI.create("ws://" + this.host + ":" + this.port + target());
	}

	/**
	 * Connects and waits for the handshake to complete.
	 * @return the open session, to {@link SocketTestSession#close() close} when done
	 * @throws AssertionError when the handshake fails or does not complete in time
	 */
	public SocketTestSession connect() {
		WsClient client = WsClient.connect(uri(), (headers) -> this.headers.forEach(headers::set), this.timeout,
				offeredSubprotocols().toArray(String[]::new));
		return new SocketTestSession(client, this.timeout, this.typeField);
	}

	/**
	 * Sends the handshake and expects it refused with an HTTP status, without an upgrade.
	 * @param status the expected status, such as 401, 403 or 429
	 * @return the response's body, such as {@code {"error":"origin not allowed"}}
	 * @throws AssertionError when the handshake is accepted or answered with another
	 * status, saying what the answer was
	 */
	public String expectHandshakeRejected(int status) {
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		List<String> offered = offeredSubprotocols();
		if (!offered.isEmpty()) {
			headers.put("Sec-WebSocket-Protocol", String.join(", ", offered));
		}
		try (RawWebSocket handshake = RawWebSocket.handshake(this.host, this.port, target(), headers)) {
			String head = handshake.responseHead();
			Matcher statusLine = STATUS_LINE.matcher(head);
			int actual = statusLine.find() ? Integer.parseInt(statusLine.group(1)) : -1;
			if (actual == 101) {
				throw new AssertionError("Expected the handshake to " + uri() + " to be rejected with " + status
						+ ", but it was accepted");
			}
			if (actual != status) {
				throw new AssertionError("Expected the handshake to " + uri() + " to be rejected with " + status
						+ ", but it was answered with " + (head.isBlank() ? "nothing" : head.lines().findFirst().get())
						+ bodySuffix(handshake.responseBody()));
			}
			return handshake.responseBody();
		}
	}

	private static String bodySuffix(String body) {
		return body.isEmpty() ? "" : " and the body " + body;
	}

	private List<String> offeredSubprotocols() {
		List<String> offered = new ArrayList<>(this.subprotocols);
		if (this.token != null) {
			offered.add(TOKEN_MARKER);
			offered.add(this.token);
		}
		return offered;
	}

	private String target() {
		StringBuilder target = new StringBuilder(this.path.isEmpty() ? "/" : this.path);
		char separator = '?';
		for (Map.Entry<String, List<String>> param : this.queryParams.entrySet()) {
			for (String value : param.getValue()) {
				target.append(separator).append(encode(param.getKey())).append('=').append(encode(value));
				separator = '&';
			}
		}
		return target.toString();
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	@Override
	public String toString() {
		return "SocketTestClient for " + uri();
	}

}
