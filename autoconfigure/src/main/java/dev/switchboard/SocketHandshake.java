package dev.switchboard;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;

/**
 * A handshake request before the upgrade, as {@link SocketInterceptor#beforeHandshake}
 * sees it. Interceptors may authenticate it and set attributes, which the connection
 * keeps.
 *
 * @since 0.1.0
 */
public interface SocketHandshake {

	/**
	 * Name of the socket the client asks for.
	 * @return the socket's name
	 */
	String socket();

	/**
	 * URI of the request.
	 * @return the URI
	 */
	URI uri();

	/**
	 * Headers of the request (read-only).
	 * @return the headers
	 */
	HttpHeaders headers();

	/**
	 * Cookies of the request.
	 * @return the cookies
	 */
	MultiValueMap<String, HttpCookie> cookies();

	/**
	 * Query parameters of the request.
	 * @return the query parameters
	 */
	MultiValueMap<String, String> queryParams();

	/**
	 * Variables of the socket's path template.
	 * @return the path variables
	 */
	Map<String, String> pathVariables();

	/**
	 * Address of the client.
	 * @return the address or {@code null}
	 */
	@Nullable InetSocketAddress remoteAddress();

	/**
	 * Subprotocols the client offered, in its order; the token of a browser is among them
	 * when it authenticates with the subprotocol marker.
	 * @return the offered subprotocols
	 */
	List<String> offeredSubprotocols();

	/**
	 * The principal authenticated so far: by Spring Security, by the token authenticator,
	 * or by an earlier interceptor.
	 * @return the principal or {@code null}
	 */
	@Nullable Principal principal();

	/**
	 * Sets the principal, whose name becomes the connection's user.
	 * @param principal the principal
	 */
	void authenticate(Principal principal);

	/**
	 * Mutable attributes, which become the connection's.
	 * @return the attributes
	 */
	Map<String, Object> attributes();

}
