package dev.switchboard.handler.support;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionService;
import org.springframework.validation.SmartValidator;
import org.springframework.validation.annotation.ValidationAnnotationUtils;

import dev.switchboard.annotation.PathParam;
import dev.switchboard.handler.SocketArgumentResolver;

/**
 * Chooses the resolver of each handler method parameter, once at startup. The order is
 * written here only:
 * <ol>
 * <li>parameters bound by name ({@code @PathParam}, {@code @QueryParam}, {@code @Header})
 * get a resolver of their own, their name and type worked out once;</li>
 * <li>{@code @Attribute}, before the types, so that
 * {@code @Attribute("user") String user} is not taken for a payload;</li>
 * <li>the well-known types: {@code SocketConnection}, {@code InboundMessage},
 * {@code Principal}, {@code CloseStatus}, {@code RequestId}, the exception of an
 * {@code @OnError} method;</li>
 * <li>the application's {@link SocketArgumentResolver} beans, in their order;</li>
 * <li>whatever is left is the payload of an {@code @OnMessage} method.</li>
 * </ol>
 * A parameter no step takes fails startup, naming the method and the parameter.
 */
final class ArgumentResolverChain {

	private static final Pattern PATH_VARIABLE = Pattern.compile("\\{\\*?([^}:]+)");

	private final ConversionService conversionService;

	private final List<SocketArgumentResolver> byType;

	private final MessageCodec codec;

	private final @Nullable SmartValidator validator;

	ArgumentResolverChain(ConversionService conversionService, List<SocketArgumentResolver> customResolvers,
			MessageCodec codec, @Nullable SmartValidator validator) {
		this.conversionService = conversionService;
		List<SocketArgumentResolver> byType = new ArrayList<>(BuiltInArgumentResolvers.create(conversionService));
		byType.addAll(customResolvers);
		this.byType = List.copyOf(byType);
		this.codec = codec;
		this.validator = validator;
	}

	/**
	 * Chooses the resolver of a parameter.
	 * @param method the handler method
	 * @param parameter the parameter
	 * @param kind the kind of handler method
	 * @param path the socket's path, whose variables {@code @PathParam} may name
	 * @return the resolver
	 * @throws InvalidSocketException when no resolver can take the parameter
	 */
	SocketArgumentResolver resolverFor(Method method, MethodParameter parameter, HandlerKind kind, String path) {
		String position = "parameter " + parameter.getParameterIndex() + " ("
				+ parameter.getParameterType().getSimpleName() + ")";
		if (BuiltInArgumentResolvers.isCloseStatus(parameter) && kind != HandlerKind.DISCONNECT) {
			throw invalid(method, position + ": only @OnDisconnect methods receive the CloseStatus");
		}
		if (BuiltInArgumentResolvers.isException(parameter) && kind != HandlerKind.ERROR) {
			throw invalid(method, position + ": only @OnError methods receive an exception");
		}
		SocketArgumentResolver named = namedValueResolver(method, parameter, position, path);
		if (named != null) {
			return named;
		}
		checkAttributeName(method, parameter, position);
		for (SocketArgumentResolver resolver : this.byType) {
			if (supports(method, resolver, parameter, position)) {
				return resolver;
			}
		}
		if (kind != HandlerKind.MESSAGE) {
			throw invalid(method, position + " cannot be resolved: " + kind.annotation()
					+ " methods take no payload; annotate it or register a SocketArgumentResolver");
		}
		return payloadResolver(method, parameter);
	}

	private @Nullable SocketArgumentResolver namedValueResolver(Method method, MethodParameter parameter,
			String position, String path) {
		BuiltInArgumentResolvers.NamedValueResolver resolver;
		try {
			resolver = BuiltInArgumentResolvers.namedValue(parameter, this.conversionService);
		}
		catch (IllegalStateException ex) {
			throw invalid(method, position + ": " + ex.getMessage());
		}
		if (resolver != null && parameter.hasParameterAnnotation(PathParam.class)
				&& !pathVariables(path).contains(resolver.name())) {
			throw invalid(method, position + ": the path '" + path + "' has no variable '" + resolver.name() + "'");
		}
		return resolver;
	}

	private static void checkAttributeName(Method method, MethodParameter parameter, String position) {
		try {
			BuiltInArgumentResolvers.checkAttributeName(parameter);
		}
		catch (IllegalStateException ex) {
			throw invalid(method, position + ": " + ex.getMessage());
		}
	}

	private static boolean supports(Method method, SocketArgumentResolver resolver, MethodParameter parameter,
			String position) {
		try {
			return resolver.supportsParameter(parameter);
		}
		catch (IllegalStateException ex) {
			String problem = (ex.getMessage() != null) ? ex.getMessage()
					: resolver.getClass().getName() + " failed with " + ex.getClass().getName();
			throw invalid(method, position + ": " + problem);
		}
	}

	private PayloadArgumentResolver payloadResolver(Method method, MethodParameter parameter) {
		Object[] hints = null;
		for (Annotation annotation : parameter.getParameterAnnotations()) {
			Object[] found = ValidationAnnotationUtils.determineValidationHints(annotation);
			if (found != null) {
				hints = found;
			}
		}
		if (hints != null && this.validator == null) {
			throw invalid(method, "its payload is annotated for validation, but Bean Validation is not "
					+ "available; add spring-boot-starter-validation");
		}
		return new PayloadArgumentResolver(parameter, this.codec, hints, this.validator);
	}

	private static Set<String> pathVariables(String path) {
		Set<String> names = new HashSet<>();
		Matcher matcher = PATH_VARIABLE.matcher(path);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	private static InvalidSocketException invalid(Method method, String problem) {
		return new InvalidSocketException(SocketHandlerMethod.describe(method), problem);
	}

}
