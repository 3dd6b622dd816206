package dev.switchboard.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;

/**
 * Serves the browser client, {@code switchboard.js}, from the starter's jar: to GET and
 * HEAD, with an entity tag so that a browser revalidates it cheaply, and to pages of any
 * origin, since a module script from another origin needs CORS and the file holds nothing
 * private.
 */
final class BrowserClientHandler implements WebHandler {

	/**
	 * Where the client is in the jar.
	 */
	static final String RESOURCE = "META-INF/switchboard/switchboard.js";

	private static final MediaType JAVASCRIPT = MediaType.parseMediaType("text/javascript;charset=UTF-8");

	private final byte[] script;

	private final String entityTag;

	BrowserClientHandler() {
		this.script = read();
		this.entityTag = "\"" + sha256(this.script).substring(0, 32) + "\"";
	}

	/**
	 * The path the client is served at.
	 * @param pathPrefix the prefix of the sockets' paths
	 * @return the path
	 */
	static String path(String pathPrefix) {
		String prefix = pathPrefix.endsWith("/") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
		return prefix + "/switchboard.js";
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		ServerHttpResponse response = exchange.getResponse();
		HttpHeaders headers = response.getHeaders();
		HttpMethod method = exchange.getRequest().getMethod();
		if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
			response.setStatusCode(HttpStatus.METHOD_NOT_ALLOWED);
			headers.setAllow(Set.of(HttpMethod.GET, HttpMethod.HEAD));
			return response.setComplete();
		}
		headers.setETag(this.entityTag);
		headers.setCacheControl("no-cache");
		headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
		headers.set("X-Content-Type-Options", "nosniff");
		if (exchange.getRequest().getHeaders().getIfNoneMatch().contains(this.entityTag)) {
			response.setStatusCode(HttpStatus.NOT_MODIFIED);
			return response.setComplete();
		}
		headers.setContentType(JAVASCRIPT);
		headers.setContentLength(this.script.length);
		if (HttpMethod.HEAD.equals(method)) {
			return response.setComplete();
		}
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(this.script)));
	}

	private static byte[] read() {
		try (InputStream in = new ClassPathResource(RESOURCE, BrowserClientHandler.class.getClassLoader())
			.getInputStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The browser client " + RESOURCE + " is missing from the starter", ex);
		}
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
