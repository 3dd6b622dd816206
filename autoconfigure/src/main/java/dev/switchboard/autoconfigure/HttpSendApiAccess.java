package dev.switchboard.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Who may call the HTTP send API: a caller presenting the configured key as a bearer
 * token, or, when Spring Security is in the application, a caller it authenticated (with
 * the configured authority, if any). Anything else is refused with 401, or with 403 for
 * an authenticated caller without the authority.
 */
final class HttpSendApiAccess {

	private static final String BEARER = "Bearer ";

	private final byte @Nullable [] keyDigest;

	private final boolean springSecurity;

	private final @Nullable String authority;

	HttpSendApiAccess(@Nullable String key, boolean springSecurity, @Nullable String authority) {
		this.keyDigest = (key != null) ? digest(key) : null;
		this.springSecurity = springSecurity;
		this.authority = authority;
	}

	/**
	 * Whether a key is configured, so that a 401 names the Bearer scheme.
	 * @return whether callers may present a key
	 */
	boolean takesKey() {
		return this.keyDigest != null;
	}

	/**
	 * Checks a call.
	 * @param exchange the call
	 * @return the refusal, with its status and reason; empty when the call is allowed
	 */
	Mono<Refusal> refusal(ServerWebExchange exchange) {
		String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (this.keyDigest != null && authorization != null
				&& authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			// A key decides on its own: a wrong one is not made good by a session. The
			// scheme's name is case-insensitive (RFC 7235).
			return isKey(authorization.substring(BEARER.length())) ? Mono.empty()
					: Mono.just(new Refusal(HttpStatus.UNAUTHORIZED, "invalid key"));
		}
		Refusal unauthenticated = new Refusal(HttpStatus.UNAUTHORIZED, (this.keyDigest != null)
				? "authentication required: Authorization: Bearer <key>" : "authentication required");
		if (!this.springSecurity) {
			return Mono.just(unauthenticated);
		}
		return exchange.getPrincipal()
			.filter((principal) -> !isAnonymous(principal))
			.map(this::authorize)
			.defaultIfEmpty(unauthenticated)
			.filter((refusal) -> refusal != Refusal.NONE);
	}

	private Refusal authorize(Principal principal) {
		if (this.authority == null || Authorities.has(principal, this.authority)) {
			return Refusal.NONE;
		}
		return new Refusal(HttpStatus.FORBIDDEN, "the authority " + this.authority + " is required");
	}

	// Both sides hashed, so that the comparison takes the same time whatever the length
	// and the content of what the caller sent.
	private boolean isKey(String presented) {
		return MessageDigest.isEqual(digest(presented), this.keyDigest);
	}

	private static byte[] digest(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	// Spring Security's anonymous authentication is no caller, as for the sockets.
	private static boolean isAnonymous(Principal principal) {
		for (Class<?> type = principal.getClass(); type != null; type = type.getSuperclass()) {
			if (type.getName().equals("org.springframework.security.authentication.AnonymousAuthenticationToken")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Why a call is refused.
	 *
	 * @param status 401 or 403
	 * @param reason the reason, for the caller
	 */
	record Refusal(HttpStatus status, String reason) {

		static final Refusal NONE = new Refusal(HttpStatus.OK, "");

	}

	/**
	 * Reads Spring Security's authorities; loaded only when an authority is configured,
	 * which needs Spring Security.
	 */
	private static final class Authorities {

		static boolean has(Principal principal, String authority) {
			return principal instanceof Authentication authentication && authentication.getAuthorities()
				.stream()
				.map(GrantedAuthority::getAuthority)
				.anyMatch(authority::equals);
		}

	}

}
