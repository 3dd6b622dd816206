package dev.switchboard.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a parameter to a header of the handshake request, converted to the parameter's
 * type. A missing header is {@code null}, or the {@link #defaultValue()}.
 *
 * @since 0.1.0
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Header {

	/**
	 * Name of the header.
	 * @return the name
	 */
	String value();

	/**
	 * Value used when the header is missing; empty for none.
	 * @return the default value
	 */
	String defaultValue() default "";

}
