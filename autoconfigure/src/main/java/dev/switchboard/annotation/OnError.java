package dev.switchboard.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that handles exceptions thrown by the socket's {@link OnMessage} methods
 * (including a payload that does not bind or validate). The method for the most specific
 * exception type wins.
 * <p>
 * Parameters: the exception (a {@code Throwable} type; it declares which exceptions the
 * method handles unless {@link #value()} does), and the parameters {@link OnMessage}
 * accepts except the payload.
 * <p>
 * Return types: as {@link OnMessage}: a value is sent to the client instead of the
 * generic error reply, with the request's {@code id}; {@code void} sends nothing. An
 * exception thrown by the method itself is answered as one thrown by a handler: a
 * {@link dev.switchboard.ClientErrorException} with its code, anything else with an
 * {@code internal} error.
 *
 * @since 0.1.0
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnError {

	/**
	 * Exception types handled; empty for the type of the method's exception parameter.
	 * @return the exception types
	 */
	Class<? extends Throwable>[] value() default {};

}
