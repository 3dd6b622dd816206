package dev.switchboard.runtime;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Checks the Origin header of a handshake. Without configured origins only the page's own
 * origin may connect, judged against the request's scheme, host and port as seen after
 * forwarded headers are applied. Origins are compared whole (scheme, host and port), so
 * that {@code https://app.example.com.evil.com} never passes for
 * {@code https://app.example.com}.
 */
final class OriginCheck {

	private final List<String> allowedOrigins;

	// The allowed origins normalized once: a handshake's is compared with these.
	private final Set<String> normalizedOrigins;

	private final boolean anyOrigin;

	private final boolean allowMissing;

	OriginCheck(List<String> allowedOrigins, boolean allowMissing) {
		this.allowedOrigins = List.copyOf(allowedOrigins);
		this.normalizedOrigins = allowedOrigins.stream()
			.map(OriginCheck::normalize)
			.filter(Objects::nonNull)
			.collect(Collectors.toUnmodifiableSet());
		this.anyOrigin = allowedOrigins.contains("*");
		this.allowMissing = allowMissing;
	}

	boolean allows(ServerHttpRequest request) {
		String origin = request.getHeaders().getFirst(HttpHeaders.ORIGIN);
		if (origin == null) {
			return this.allowMissing;
		}
		String normalized = normalize(origin);
		if (normalized == null) {
			return this.allowedOrigins.contains(origin);
		}
		if (this.allowedOrigins.isEmpty()) {
			return normalized.equals(normalize(request.getURI()));
		}
		return this.anyOrigin || this.normalizedOrigins.contains(normalized);
	}

	/**
	 * Reduces an origin to {@code scheme://host:port} with the default port made
	 * explicit, or {@code null} for an opaque origin such as {@code null}.
	 * @param origin the origin
	 * @return the normalized origin or {@code null}
	 */
	static @Nullable String normalize(String origin) {
		try {
			return normalize(new URI(origin.trim()));
		}
		catch (Exception ex) {
			return null;
		}
	}

	private static @Nullable String normalize(URI uri) {
		String scheme = uri.getScheme();
		String host = uri.getHost();
		if (scheme == null || host == null) {
			return null;
		}
		scheme = scheme.toLowerCase(Locale.ROOT);
		String secure = switch (scheme) {
			case "https", "wss" -> "https";
			case "http", "ws" -> "http";
			default -> scheme;
		};
		int port = uri.getPort();
		if (port == -1) {
			port = "https".equals(secure) ? 443 : 80;
		}
		return secure + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
	}

}
