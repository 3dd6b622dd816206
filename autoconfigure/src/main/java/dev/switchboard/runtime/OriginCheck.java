package dev.switchboard.runtime;

import java.net.URI;
import java.util.List;
import java.util.Locale;

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

	private OriginCheck() {
	}

	static boolean allows(ServerHttpRequest request, List<String> allowedOrigins, boolean allowMissing) {
		String origin = request.getHeaders().getFirst(HttpHeaders.ORIGIN);
		if (origin == null) {
			return allowMissing;
		}
		String normalized = normalize(origin);
		if (normalized == null) {
			return allowedOrigins.contains(origin);
		}
		if (allowedOrigins.isEmpty()) {
			return normalized.equals(normalize(request.getURI()));
		}
		for (String allowed : allowedOrigins) {
			if ("*".equals(allowed) || normalized.equals(normalize(allowed))) {
				return true;
			}
		}
		return false;
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
