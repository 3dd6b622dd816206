package dev.switchboard.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a parameter to an attribute of the connection, typically one an interceptor set.
 *
 * @since 0.1.0
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Attribute {

	/**
	 * Name of the attribute; defaults to the parameter's name.
	 * @return the name
	 */
	String value() default "";

	/**
	 * Whether a missing attribute is an error; when it is not, the parameter is
	 * {@code null}.
	 * @return whether the attribute is required
	 */
	boolean required() default true;

}
