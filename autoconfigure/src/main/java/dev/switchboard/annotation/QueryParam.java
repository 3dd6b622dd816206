package dev.switchboard.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a parameter to a query parameter of the handshake request, converted to the
 * parameter's type. A missing parameter is {@code null}, or the {@link #defaultValue()}.
 *
 * @since 0.1.0
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface QueryParam {

	/**
	 * Name of the query parameter; defaults to the parameter's name.
	 * @return the name
	 */
	String value() default "";

	/**
	 * Value used when the query parameter is missing; empty for none.
	 * @return the default value
	 */
	String defaultValue() default "";

}
