package dev.switchboard.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a handler method does not block, or, on a {@link Socket} class, that none
 * of its handler methods do. Such a method is called where a method that returns a
 * reactive type is, even when it returns a plain value: on the connection's event loop
 * ({@link OnError} methods on the thread where the failure they handle happened), instead
 * of on the bounded scheduler, so that a message costs no hand-off between threads.
 * <p>
 * The method must not block (no blocking I/O, no locks held for long, no
 * {@code block()}), and neither may its argument resolvers, payload binding and
 * validation, which run on the same thread: while they run, no other connection of the
 * event loop is served. A timeout cannot stop the method, which has returned before the
 * timer could start; only a reactive type it returns is timed. A method whose return type
 * cannot hold a reactive value and whose {@link OnMessage#timeout()} is set fails the
 * startup.
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
