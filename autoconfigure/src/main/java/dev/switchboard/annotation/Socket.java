package dev.switchboard.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Makes a bean a WebSocket endpoint. The bean needs no other annotation: {@code @Socket}
 * is a stereotype picked up by component scanning.
 * <p>
 * The endpoint is served at {@code {switchboard.path-prefix}/{name}}, {@code /ws/chat}
 * for {@code @Socket("chat")}, or at {@link #path()} when given. Its handler methods are
 * annotated with {@link OnConnect}, {@link OnMessage}, {@link OnDisconnect} and
 * {@link OnError}; they are found once at startup, and a signature that cannot work fails
 * the startup with a message naming the class and the method.
 * <p>
 * String attributes accept property placeholders, for example {@code maxMessageSize =
 * "${chat.max-size:128KB}"}.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface Socket {

	/**
	 * Alias for {@link #name()}.
	 * @return the socket's name
	 */
	@AliasFor("name")
	String value() default "";

	/**
	 * Name of the socket, unique in the application; it names the socket in
	 * {@code Switchboard.toSocket(name)} and, without an explicit {@link #path()}, in the
	 * URL. Defaults to the bean name.
	 * @return the socket's name
	 */
	@AliasFor("value")
	String name() default "";

	/**
	 * Path of the endpoint, used as written (without the path prefix); it may carry
	 * templates such as {@code /ws/rooms/{room}}, whose values handler methods receive
	 * with {@link PathParam @PathParam}.
	 * @return the path, empty for {@code {path-prefix}/{name}}
	 */
	String path() default "";

	/**
	 * Largest message accepted from a client, for example {@code 256KB}; larger messages
	 * close the connection with 1009. Empty for {@code switchboard.max-message-size}.
	 * @return the size
	 */
	String maxMessageSize() default "";

	/**
	 * Time a handler method may take, for example {@code 30s}; a slower one is answered
	 * with a {@code timeout} error. Empty for {@code switchboard.handler-timeout}.
	 * @return the timeout
	 */
	String handlerTimeout() default "";

	/**
	 * Origins allowed to open a connection, replacing {@code switchboard.allowed-origins}
	 * for this socket. Each is an exact origin such as {@code https://chat.example.com},
	 * or {@code *} for any.
	 * @return the origins, empty for the global setting
	 */
	String[] allowedOrigins() default {};

	/**
	 * Subprotocols the socket speaks, in order of preference. When a client offers some
	 * and none matches, the handshake is refused with 400.
	 * @return the subprotocols
	 */
	String[] subprotocols() default {};

	/**
	 * How many messages of one connection may be handled at the same time. The default,
	 * 1, handles them one at a time in arrival order; a higher value trades that order
	 * for throughput.
	 * @return the concurrency per connection
	 */
	int concurrency() default 1;

	/**
	 * Whether replies keep the order of the messages when {@link #concurrency()} lets
	 * several of a connection be handled at the same time. The handler methods are then
	 * called in arrival order, a method that returns a reactive type once the previous
	 * one has returned and its result has been subscribed to, so that the sends it
	 * returns directly go out in that order too (to other instances as well: one instance
	 * publishes over one Redis connection, in order), while their results are awaited
	 * together: a connection that sends fast is not held back by each send's round trip
	 * to Redis. A plain method declared {@link NonBlocking} is called as a reactive one
	 * is; other plain methods run on other threads and may overlap, and only their
	 * replies keep the order. Ignored when the concurrency is 1, which keeps the order by
	 * handling one message at a time.
	 * @return whether replies keep the order of the messages
	 */
	boolean ordered() default false;

	/**
	 * Whether a connection needs an authenticated user: a handshake without one is
	 * answered with 401 and no upgrade. Without it, anonymous connections are accepted
	 * unless {@code switchboard.security.require-authentication} is set.
	 * @return whether a user is required
	 */
	boolean authenticated() default false;

	/**
	 * Whether the socket's connections recover what they missed: each message sent to a
	 * stream that keeps a history ({@code switchboard.history.streams}) reaches them
	 * wrapped with its position, a client that reconnects names the last positions it saw
	 * in the {@code switchboard-recover} query parameter and is sent what it missed
	 * first, and a gap in what reaches the instance is filled from the history. Without
	 * it, the socket's connections see messages as they were sent. See
	 * {@code docs/recovery.md}.
	 * @return whether connections recover missed messages
	 */
	boolean recovery() default false;

}
