package dev.switchboard.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a handler method does not block, or, on a {@link Socket} class, that none
 * of its handler methods do. Such a method is called on the connection's event loop
 * thread even when it returns a plain value, as a method that returns a reactive type is,
 * instead of on the bounded scheduler: a message then costs no hand-off between threads,
 * which makes a plain method as fast as one that returns a {@code Mono}.
 * <p>
 * The method must not block (no blocking I/O, no locks held for long, no
 * {@code block()}): while it runs, no other connection of its event loop is served. Its
 * timeout does not apply, since it returns before anything could stop it; the timeout of
 * a reactive type it returns does.
 * <p>
 * It applies to {@link OnConnect}, {@link OnMessage}, {@link OnDisconnect} and
 * {@link OnError} methods, and makes no difference to a method that returns a reactive
 * type, which is called on the event loop anyway.
 *
 * @since 0.1.0
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface NonBlocking {

}
