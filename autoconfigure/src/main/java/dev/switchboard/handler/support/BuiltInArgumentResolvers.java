package dev.switchboard.handler.support;

import java.lang.annotation.Annotation;
import java.security.Principal;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ErrorCode;
import dev.switchboard.InboundMessage;
import dev.switchboard.RequestId;
import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.Attribute;
import dev.switchboard.annotation.Header;
import dev.switchboard.annotation.PathParam;
import dev.switchboard.annotation.QueryParam;
import dev.switchboard.handler.SocketArgumentResolver;
import dev.switchboard.handler.SocketInvocation;

/**
 * The resolvers of annotated and well-known parameters, in the order they are consulted.
 */
final class BuiltInArgumentResolvers {

	private static final TypeDescriptor STRING = TypeDescriptor.valueOf(String.class);

	private BuiltInArgumentResolvers() {
	}

	/**
	 * The resolvers shared by every parameter, in the order {@link ArgumentResolverChain}
	 * consults them.
	 * @param conversionService converts attribute values
	 * @return the resolvers
	 */
	static List<SocketArgumentResolver> create(ConversionService conversionService) {
		return List.of(new AttributeResolver(conversionService),
				new TypeResolver<>(SocketConnection.class, SocketInvocation::connection),
				new TypeResolver<>(InboundMessage.class, SocketInvocation::message), new PrincipalResolver(),
				new TypeResolver<>(CloseStatus.class, SocketInvocation::closeStatus),
				new TypeResolver<>(RequestId.class, SocketInvocation::requestId), new ExceptionResolver());
	}

	/**
	 * The resolver of a {@code @PathParam}, {@code @QueryParam} or {@code @Header}
	 * parameter, with its name, default and target type worked out once.
	 * @param parameter the parameter
	 * @param conversionService converts the values to the parameter's type
	 * @return the resolver, or {@code null} when the parameter has none of these
	 * annotations
	 * @throws IllegalStateException when the name is neither declared nor compiled in, or
	 * a header's name is empty
	 */
	static @Nullable NamedValueResolver namedValue(MethodParameter parameter, ConversionService conversionService) {
		PathParam path = parameter.getParameterAnnotation(PathParam.class);
		if (path != null) {
			String name = nameOf(parameter, path.value(), "@PathParam");
			return new NamedValueResolver(PathParam.class, name, null, new TypeDescriptor(parameter),
					"path variable '" + name + "'", (connection) -> connection.pathVariables().get(name),
					conversionService);
		}
		QueryParam query = parameter.getParameterAnnotation(QueryParam.class);
		if (query != null) {
			String name = nameOf(parameter, query.value(), "@QueryParam");
			return new NamedValueResolver(QueryParam.class, name, defaultOf(query.defaultValue()),
					new TypeDescriptor(parameter), "query parameter '" + name + "'",
					(connection) -> connection.queryParams().getFirst(name), conversionService);
		}
		Header header = parameter.getParameterAnnotation(Header.class);
		if (header != null) {
			String name = header.value();
			if (!StringUtils.hasText(name)) {
				throw new IllegalStateException(
						"the @Header of parameter " + parameter.getParameterIndex() + " has no name: name the header");
			}
			return new NamedValueResolver(Header.class, name, defaultOf(header.defaultValue()),
					new TypeDescriptor(parameter), "header '" + name + "'",
					(connection) -> connection.headers().getFirst(name), conversionService);
		}
		return null;
	}

	static boolean isCloseStatus(MethodParameter parameter) {
		return CloseStatus.class.equals(parameter.getParameterType());
	}

	static boolean isException(MethodParameter parameter) {
		return Throwable.class.isAssignableFrom(parameter.getParameterType());
	}

	/**
	 * Checks at startup that an {@code @Attribute} parameter has a name.
	 * @param parameter the parameter
	 * @throws IllegalStateException when the name is neither declared nor compiled in
	 */
	static void checkAttributeName(MethodParameter parameter) {
		Attribute attribute = parameter.getParameterAnnotation(Attribute.class);
		if (attribute != null) {
			nameOf(parameter, attribute.value(), "@Attribute");
		}
	}

	static String nameOf(MethodParameter parameter, String declared, String kind) {
		if (StringUtils.hasText(declared)) {
			return declared;
		}
		String name = parameter.getParameterName();
		if (name == null) {
			throw new IllegalStateException("the name of the " + kind + " of parameter " + parameter.getParameterIndex()
					+ " is unknown: name it in the annotation or compile with -parameters");
		}
		return name;
	}

	private static @Nullable String defaultOf(String declared) {
		return declared.isEmpty() ? null : declared;
	}

	private static @Nullable Object convert(ConversionService conversionService, @Nullable Object value,
			MethodParameter parameter, String what) {
		TypeDescriptor target = new TypeDescriptor(parameter);
		try {
			TypeDescriptor source = (value instanceof String) ? STRING : TypeDescriptor.forObject(value);
			return conversionService.convert(value, source, target);
		}
		catch (ConversionException ex) {
			throw new ClientErrorException(ErrorCode.BAD_REQUEST, "invalid value for " + what);
		}
	}

	/**
	 * A path variable, query parameter or header of the handshake, converted to the
	 * parameter's type. Built per parameter at startup.
	 *
	 * @param annotation the annotation that binds the parameter
	 * @param name the name of the value
	 * @param defaultValue the value when it is missing, {@code null} for none
	 * @param target the parameter's type
	 * @param description what the value is, for the client when it does not convert
	 * @param lookup finds the value on the connection
	 * @param conversionService converts the value
	 */
	record NamedValueResolver(Class<? extends Annotation> annotation, String name, @Nullable String defaultValue,
			TypeDescriptor target, String description, Function<SocketConnection, @Nullable String> lookup,
			ConversionService conversionService) implements SocketArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.hasParameterAnnotation(this.annotation)
					&& this.target.equals(new TypeDescriptor(parameter));
		}

		@Override
		public @Nullable Object resolveArgument(MethodParameter parameter, SocketInvocation invocation) {
			String value = this.lookup.apply(invocation.connection());
			if (value == null) {
				value = this.defaultValue;
			}
			if (this.target.getType() == String.class) {
				return value;
			}
			try {
				return this.conversionService.convert(value, STRING, this.target);
			}
			catch (ConversionException ex) {
				throw new ClientErrorException(ErrorCode.BAD_REQUEST, "invalid value for " + this.description);
			}
		}

	}

	/**
	 * {@code @Attribute}: an attribute of the connection. A required attribute that is
	 * missing is a server-side fault, not the client's.
	 */
	private record AttributeResolver(ConversionService conversionService) implements SocketArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.hasParameterAnnotation(Attribute.class);
		}

		@Override
		public @Nullable Object resolveArgument(MethodParameter parameter, SocketInvocation invocation) {
			Attribute annotation = parameter.getParameterAnnotation(Attribute.class);
			String name = nameOf(parameter, annotation.value(), "@Attribute");
			Object value = invocation.connection().attributes().get(name);
			if (value == null && annotation.required()) {
				throw new IllegalStateException("Missing connection attribute '" + name + "' for " + parameter);
			}
			if (value == null || parameter.getParameterType().isInstance(value)) {
				return value;
			}
			try {
				return convert(this.conversionService, value, parameter, "attribute '" + name + "'");
			}
			catch (ClientErrorException ex) {
				// Attributes are set by the server: a mismatch is its fault, not the
				// client's.
				throw new IllegalStateException("Connection attribute '" + name + "' is a " + value.getClass().getName()
						+ ", which does not convert for " + parameter);
			}
		}

	}

	/**
	 * {@code Principal} and its subtypes: the principal authenticated at the handshake.
	 */
	private static final class PrincipalResolver implements SocketArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return Principal.class.isAssignableFrom(parameter.getParameterType());
		}

		@Override
		public @Nullable Object resolveArgument(MethodParameter parameter, SocketInvocation invocation) {
			Principal principal = invocation.connection().principal();
			return parameter.getParameterType().isInstance(principal) ? principal : null;
		}

	}

	/**
	 * The exception handled by an {@code @OnError} method.
	 */
	private static final class ExceptionResolver implements SocketArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return isException(parameter);
		}

		@Override
		public @Nullable Object resolveArgument(MethodParameter parameter, SocketInvocation invocation) {
			Throwable exception = invocation.exception();
			return parameter.getParameterType().isInstance(exception) ? exception : null;
		}

	}

	/**
	 * A parameter of a well-known type taken from the invocation.
	 */
	private record TypeResolver<T>(Class<T> type,
			Function<SocketInvocation, @Nullable Object> getter) implements SocketArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return this.type.equals(parameter.getParameterType());
		}

		@Override
		public @Nullable Object resolveArgument(MethodParameter parameter, SocketInvocation invocation) {
			return this.getter.apply(invocation);
		}

	}

}
