package dev.switchboard.handler.support;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ErrorCode;
import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.Attribute;
import dev.switchboard.annotation.Header;
import dev.switchboard.annotation.PathParam;
import dev.switchboard.annotation.QueryParam;
import dev.switchboard.handler.InboundMessage;
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
	 * Annotation-based resolvers first, so that {@code @Attribute("user") String user} is
	 * not mistaken for a payload; then the type-based ones.
	 * @param conversionService converts path, query, header and attribute values
	 * @return the resolvers
	 */
	static List<SocketArgumentResolver> create(ConversionService conversionService) {
		return List.of(new PathParamResolver(conversionService), new QueryParamResolver(conversionService),
				new HeaderResolver(conversionService), new AttributeResolver(conversionService),
				new TypeResolver<>(SocketConnection.class, SocketInvocation::connection),
				new TypeResolver<>(InboundMessage.class, SocketInvocation::message), new PrincipalResolver(),
				new TypeResolver<>(CloseStatus.class, SocketInvocation::closeStatus), new ExceptionResolver());
	}

	static boolean isCloseStatus(MethodParameter parameter) {
		return CloseStatus.class.equals(parameter.getParameterType());
	}

	static boolean isException(MethodParameter parameter) {
		return Throwable.class.isAssignableFrom(parameter.getParameterType());
	}

	/**
	 * The name an annotated parameter binds to, checked at startup.
	 * @param parameter the parameter
	 * @return the name, or {@code null} when the parameter is not bound by name
	 * @throws IllegalStateException when the name is neither declared nor compiled in
	 */
	static @Nullable String boundName(MethodParameter parameter) {
		PathParam path = parameter.getParameterAnnotation(PathParam.class);
		if (path != null) {
			return nameOf(parameter, path.value(), "@PathParam");
		}
		QueryParam query = parameter.getParameterAnnotation(QueryParam.class);
		if (query != null) {
			return nameOf(parameter, query.value(), "@QueryParam");
		}
		Attribute attribute = parameter.getParameterAnnotation(Attribute.class);
		return (attribute != null) ? nameOf(parameter, attribute.value(), "@Attribute") : null;
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

	private static @Nullable String orDefault(@Nullable String value, String defaultValue) {
		return (value != null || defaultValue.isEmpty()) ? value : defaultValue;
	}

	/**
	 * {@code @PathParam}: a variable of the socket's path template.
	 */
	private record PathParamResolver(ConversionService conversionService) implements SocketArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.hasParameterAnnotation(PathParam.class);
		}

		@Override
		public @Nullable Object resolveArgument(MethodParameter parameter, SocketInvocation invocation) {
			PathParam annotation = parameter.getParameterAnnotation(PathParam.class);
			String name = nameOf(parameter, annotation.value(), "@PathParam");
			Map<String, String> variables = invocation.connection().pathVariables();
			return convert(this.conversionService, variables.get(name), parameter, "path variable '" + name + "'");
		}

	}

	/**
	 * {@code @QueryParam}: a query parameter of the handshake.
	 */
	private record QueryParamResolver(ConversionService conversionService) implements SocketArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.hasParameterAnnotation(QueryParam.class);
		}

		@Override
		public @Nullable Object resolveArgument(MethodParameter parameter, SocketInvocation invocation) {
			QueryParam annotation = parameter.getParameterAnnotation(QueryParam.class);
			String name = nameOf(parameter, annotation.value(), "@QueryParam");
			String value = orDefault(invocation.connection().queryParams().getFirst(name), annotation.defaultValue());
			return convert(this.conversionService, value, parameter, "query parameter '" + name + "'");
		}

	}

	/**
	 * {@code @Header}: a header of the handshake.
	 */
	private record HeaderResolver(ConversionService conversionService) implements SocketArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.hasParameterAnnotation(Header.class);
		}

		@Override
		public @Nullable Object resolveArgument(MethodParameter parameter, SocketInvocation invocation) {
			Header annotation = parameter.getParameterAnnotation(Header.class);
			String value = orDefault(invocation.connection().headers().getFirst(annotation.value()),
					annotation.defaultValue());
			return convert(this.conversionService, value, parameter, "header '" + annotation.value() + "'");
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
			java.util.function.Function<SocketInvocation, @Nullable Object> getter) implements SocketArgumentResolver {

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
