package dev.switchboard.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method called once after a connection has closed, whatever closed it,
 * provided its {@link OnConnect} method accepted it. At most one per socket.
 * <p>
 * Parameters: {@link org.springframework.web.reactive.socket.CloseStatus} (the status the
 * connection closed with: the client's, the server's, or 1006 when the transport
 * dropped), and the parameters {@link OnConnect} accepts.
 * <p>
 * Return types: {@code void} or a {@code Mono}, whose value is ignored; an exception is
 * logged.
 *
 * @since 0.1.0
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnDisconnect {

}
