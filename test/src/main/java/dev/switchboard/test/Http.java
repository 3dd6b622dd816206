package dev.switchboard.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for the tests that call an application's endpoints over the
 * network, as an operator's tool would.
 *
 * @since 0.1.0
 */
public final class Http {

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(WsClient.TIMEOUT).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	private Http() {
	}

	/**
	 * Sends a GET request.
	 * @param port the application's port
	 * @param path the path
	 * @return the response
	 */
	public static Response get(int port, String path) {
		return get(port, path, null, null);
	}

	/**
	 * Sends a GET request with HTTP basic credentials.
	 * @param port the application's port
	 * @param path the path
	 * @param user the user, {@code null} for none
	 * @param password the password
	 * @return the response
	 */
	public static Response get(int port, String path, @Nullable String user, @Nullable String password) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(WsClient.TIMEOUT)
			.GET();
		if (user != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes()));
		}
		try {
			HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Sends a POST request.
	 * @param port the application's port
	 * @param path the path
	 * @param headers the request's headers
	 * @param body the body
	 * @return the response
	 */
	public static Response post(int port, String path, Map<String, String> headers, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(WsClient.TIMEOUT)
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		try {
			HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A response.
	 *
	 * @param status the status code
	 * @param body the body
	 */
	public record Response(int status, String body) {

		/**
		 * The body, read as JSON.
		 * @return the JSON
		 */
		public JsonNode json() {
			return json.readTree(this.body);
		}

	}

}
