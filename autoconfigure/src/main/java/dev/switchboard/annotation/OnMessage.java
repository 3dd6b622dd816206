package dev.switchboard.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that handles messages.
 * <p>
 * Routing: a text frame holding a JSON object is routed by its {@code type} field (the
 * name is {@code switchboard.type-field}) to the method whose {@link #value()} lists that
 * type, else to the socket's default method, the one without a type. Text that is not a
 * JSON object and binary frames go to the default method when its payload parameter
 * accepts them; otherwise the client gets a {@code bad-request} error, and a message no
 * method takes gets {@code not-found}.
 * <p>
 * Parameters, in any order: the payload (at most one parameter, without annotation), and
 * {@link dev.switchboard.SocketConnection}, {@link java.security.Principal},
 * {@link PathParam @PathParam}, {@link QueryParam @QueryParam}, {@link Header @Header},
 * {@link Attribute @Attribute} or a type a custom
 * {@link dev.switchboard.handler.SocketArgumentResolver} supports. The payload may be:
 * <ul>
 * <li>{@code String}: the text of a text frame;</li>
 * <li>{@code byte[]} or {@code java.nio.ByteBuffer}: the bytes of a binary or text
 * frame;</li>
 * <li>{@code tools.jackson.databind.JsonNode}: the JSON of the message;</li>
 * <li>any other type, typically a record: the JSON object bound by the application's JSON
 * mapper, validated when annotated with {@code @Valid} or {@code @Validated}.</li>
 * </ul>
 * <p>
 * Return types: {@code void} or {@code Mono<Void>} send nothing; {@code T},
 * {@code Mono<T>} or {@code Flux<T>} send each value to the sender: a {@code String} as a
 * text frame, a {@code byte[]} as a binary frame, anything else as JSON. When the request
 * carried an {@code id}, JSON object replies and error replies carry the same {@code id}.
 * <p>
 * Errors: the client gets an error reply and the connection stays open, except for a
 * {@link dev.switchboard.ConnectionRejectedException}, which closes the connection with
 * its status (a handler can so kick a client out).
 * <p>
 * Threading: a method returning {@code Mono} or {@code Flux} is called on the
 * connection's event loop and must not block; any other method is called on a bounded
 * scheduler, where it may block. Messages of one connection are handled one at a time, in
 * order, unless the socket's {@link Socket#concurrency()} allows more.
 *
 * @since 0.1.0
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnMessage {

	/**
	 * Message types the method handles; none for the socket's default method.
	 * @return the types
	 */
	String[] value() default {};

	/**
	 * Time the method may take, for example {@code 30s}, or {@code 0} for no limit; empty
	 * for the socket's timeout. For a {@code Flux} it bounds the wait for each element.
	 * @return the timeout
	 */
	String timeout() default "";

}
