package dev.switchboard.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method called when a connection opens, before any of its messages is handled.
 * At most one per socket.
 * <p>
 * Parameters: {@link dev.switchboard.SocketConnection}, {@link java.security.Principal},
 * {@link PathParam @PathParam}, {@link QueryParam @QueryParam}, {@link Header @Header},
 * {@link Attribute @Attribute}, and any type a custom
 * {@link dev.switchboard.handler.SocketArgumentResolver} supports.
 * <p>
 * Return types: {@code void}, {@code Mono<Void>}, or a value ({@code Mono<T>},
 * {@code Flux<T>}, {@code T}) sent to the client as its first messages.
 * <p>
 * Throwing {@link dev.switchboard.ConnectionRejectedException} closes the connection with
 * its close status (1008 by default) and reason, a
 * {@link dev.switchboard.ClientErrorException} with 1008 and its message; any other
 * exception closes it with 1011 and a generic reason, the details going to the server's
 * log. The user of a rejected connection is not announced online, and
 * {@link OnDisconnect} is not called for it.
 *
 * @since 0.1.0
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnConnect {

}
