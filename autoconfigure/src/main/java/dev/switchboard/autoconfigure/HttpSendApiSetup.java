package dev.switchboard.autoconfigure;

import java.util.List;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.switchboard.runtime.HandshakeNegotiator;

/**
 * Checks the settings of the HTTP send API at startup: a way to authenticate its callers,
 * a key long enough, a plain path that no socket serves, a positive body size. A setting
 * that cannot work stops the application with a {@link HttpSendApiSetupException}.
 */
final class HttpSendApiSetup {

	private static final int MIN_KEY_LENGTH = 16;

	private HttpSendApiSetup() {
	}

	/**
	 * Who may call the API.
	 * @param api the API's settings
	 * @param springSecurity whether Spring Security filters the application's requests
	 * @return the access check
	 * @throws HttpSendApiSetupException when callers cannot be authenticated, or the key
	 * is too short or an unresolved placeholder
	 */
	static HttpSendApiAccess access(SwitchboardProperties.HttpApi api, boolean springSecurity) {
		String key = api.getKey();
		if (key != null && key.contains("${")) {
			// Spring leaves a placeholder it cannot resolve as it is: a key taken from an
			// unset environment variable would be its name, known to anyone.
			throw new HttpSendApiSetupException(
					"switchboard.http-api.key is an unresolved placeholder: what it names is not set",
					"Set the environment variable or property that switchboard.http-api.key refers to, "
							+ "to a random secret of at least " + MIN_KEY_LENGTH + " characters.");
		}
		if (key != null && key.length() < MIN_KEY_LENGTH) {
			throw new HttpSendApiSetupException(
					"switchboard.http-api.key has " + key.length() + " characters, fewer than " + MIN_KEY_LENGTH,
					"Set switchboard.http-api.key to a random secret of at least " + MIN_KEY_LENGTH
							+ " characters, for example the output of 'openssl rand -base64 32'.");
		}
		if (!springSecurity && api.getAuthority() != null) {
			throw new HttpSendApiSetupException(
					"switchboard.http-api.authority is set but Spring Security is not in the application",
					"Add Spring Security (spring-boot-starter-security) to authenticate callers, or remove "
							+ "switchboard.http-api.authority and set switchboard.http-api.key.");
		}
		if (!springSecurity && key == null) {
			throw new HttpSendApiSetupException(
					"nothing authenticates its callers, as Spring Security is not in the application and "
							+ "switchboard.http-api.key is not set",
					"Set switchboard.http-api.key to a random secret that callers send as "
							+ "'Authorization: Bearer <key>', or add Spring Security "
							+ "(spring-boot-starter-security) and protect the API's path with it.");
		}
		if (springSecurity && key == null && api.getAuthority() == null) {
			// The application's users are authenticated too: any of them could send as
			// the server, to anyone, or close everyone's connections.
			throw new HttpSendApiSetupException(
					"Spring Security authenticates its callers but switchboard.http-api.authority is not set, "
							+ "so every user it authenticates could send",
					"Set switchboard.http-api.authority to the authority of the callers allowed to send, "
							+ "such as ROLE_SENDER, or set switchboard.http-api.key.");
		}
		// Without an authority, Spring Security's principals do not count: the key does.
		return new HttpSendApiAccess(key, springSecurity && api.getAuthority() != null, api.getAuthority());
	}

	/**
	 * The API's path, checked.
	 * @param path the configured path
	 * @param sockets the sockets' endpoints
	 * @return the path
	 * @throws HttpSendApiSetupException when it is not a plain path or a socket serves it
	 */
	static String path(String path, List<HandshakeNegotiator> sockets) {
		if (!path.startsWith("/") || path.contains("{") || path.contains("*") || path.contains("?")) {
			throw new HttpSendApiSetupException(
					"switchboard.http-api.path '" + path + "' is not a plain path starting with '/'",
					"Set switchboard.http-api.path to a path such as /switchboard/api/send.");
		}
		PathContainer container = PathContainer.parsePath(path);
		for (HandshakeNegotiator endpoint : sockets) {
			String socketPath = endpoint.socket().path();
			if (PathPatternParser.defaultInstance.parse(socketPath).matches(container)) {
				throw new HttpSendApiSetupException("its path " + path + " is the path of the socket '"
						+ endpoint.socket().name() + "' (" + socketPath + ")",
						"Set switchboard.http-api.path to a path that no socket serves.");
			}
		}
		return path;
	}

	/**
	 * The largest body accepted, checked.
	 * @param api the API's settings
	 * @return the size in bytes
	 * @throws HttpSendApiSetupException when it is not a positive size under 2GB
	 */
	static int maxBodySize(SwitchboardProperties.HttpApi api) {
		long bytes = api.getMaxBodySize().toBytes();
		if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
			throw new HttpSendApiSetupException(
					"switchboard.http-api.max-body-size " + api.getMaxBodySize() + " is not a positive size under 2GB",
					"Set switchboard.http-api.max-body-size to a size such as 64KB.");
		}
		return (int) bytes;
	}

}
