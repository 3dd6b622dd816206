package dev.switchboard.handler.support;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.convert.ConversionService;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.SmartValidator;
import org.springframework.validation.annotation.ValidationAnnotationUtils;
import reactor.core.scheduler.Scheduler;

import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnDisconnect;
import dev.switchboard.annotation.OnError;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.PathParam;
import dev.switchboard.annotation.Socket;
import dev.switchboard.handler.SocketArgumentResolver;

/**
 * Finds the {@code @Socket} beans and their handler methods once at startup, and checks
 * that every method can work: a signature that cannot, two methods for one route, or two
 * sockets with one name or path fail with an {@link InvalidSocketException} naming the
 * culprit.
 *
 * @since 0.1.0
 */
public final class SocketHandlerFactory {

	private static final DefaultParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private static final Pattern PATH_VARIABLE = Pattern.compile("\\{\\*?([^}:]+)");

	private final ConfigurableListableBeanFactory beanFactory;

	private final MessageCodec codec;

	private final ConversionService conversionService;

	private final List<SocketArgumentResolver> resolvers;

	private final @Nullable SmartValidator validator;

	private final Scheduler blockingScheduler;

	private final Defaults defaults;

	private final SocketHandler.ErrorObserver errorObserver;

	/**
	 * Creates a factory.
	 * @param beanFactory the bean factory holding the {@code @Socket} beans
	 * @param codec the message codec
	 * @param customResolvers the application's argument resolvers, in order
	 * @param conversionService converts path, query, header and attribute values
	 * @param validator validates {@code @Valid} payloads, {@code null} without Bean
	 * Validation
	 * @param blockingScheduler runs handler methods that do not return a reactive type
	 * @param defaults the global settings
	 * @param errorObserver observes the error replies sent
	 */
	public SocketHandlerFactory(ConfigurableListableBeanFactory beanFactory, MessageCodec codec,
			List<SocketArgumentResolver> customResolvers, ConversionService conversionService,
			@Nullable SmartValidator validator, Scheduler blockingScheduler, Defaults defaults,
			SocketHandler.ErrorObserver errorObserver) {
		this.errorObserver = errorObserver;
		this.beanFactory = beanFactory;
		this.codec = codec;
		this.conversionService = conversionService;
		List<SocketArgumentResolver> resolvers = new ArrayList<>(BuiltInArgumentResolvers.create(conversionService));
		resolvers.addAll(customResolvers);
		this.resolvers = List.copyOf(resolvers);
		this.validator = validator;
		this.blockingScheduler = blockingScheduler;
		this.defaults = defaults;
	}

	/**
	 * Creates the handlers of every {@code @Socket} bean.
	 * @return the handlers
	 * @throws InvalidSocketException if a socket cannot work
	 */
	public List<SocketHandler> createHandlers() {
		List<SocketHandler> handlers = new ArrayList<>();
		Map<String, String> names = new LinkedHashMap<>();
		Map<String, String> paths = new LinkedHashMap<>();
		for (String beanName : this.beanFactory.getBeanNamesForAnnotation(Socket.class)) {
			SocketHandler handler = create(beanName);
			SocketSettings settings = handler.settings();
			checkUnique(names, settings.name(), beanName, "socket name '" + settings.name() + "'");
			checkUnique(paths, settings.path().replaceAll("\\{[^}]*}", "{}"), beanName,
					"path '" + settings.path() + "'");
			handlers.add(handler);
		}
		return handlers;
	}

	private void checkUnique(Map<String, String> seen, String key, String beanName, String what) {
		String other = seen.putIfAbsent(key, beanName);
		if (other != null) {
			throw new InvalidSocketException(socketClass(beanName),
					"its " + what + " is already used by " + socketClass(other));
		}
	}

	private String socketClass(String beanName) {
		Class<?> type = this.beanFactory.getType(beanName);
		return (type != null) ? ClassUtils.getShortName(ClassUtils.getUserClass(type)) : beanName;
	}

	SocketHandler create(String beanName) {
		Class<?> beanType = this.beanFactory.getType(beanName);
		if (beanType == null) {
			throw new InvalidSocketException(beanName, "the type of the @Socket bean cannot be determined");
		}
		Class<?> type = ClassUtils.getUserClass(beanType);
		Socket socket = AnnotatedElementUtils.findMergedAnnotation(type, Socket.class);
		if (socket == null) {
			throw new InvalidSocketException(beanName, "not annotated with @Socket");
		}
		SocketSettings settings = settings(beanName, type, socket);
		Supplier<Object> bean = SingletonSupplier.of(() -> this.beanFactory.getBean(beanName));
		Methods methods = new Methods(bean, beanType, settings);
		SocketHandlerMethod connect = methods.single(type, OnConnect.class, Kind.CONNECT);
		SocketHandlerMethod disconnect = methods.single(type, OnDisconnect.class, Kind.DISCONNECT);
		Map<String, SocketHandlerMethod> routes = new LinkedHashMap<>();
		SocketHandlerMethod fallback = null;
		for (Map.Entry<Method, OnMessage> entry : select(type, OnMessage.class).entrySet()) {
			SocketHandlerMethod method = methods.create(entry.getKey(), Kind.MESSAGE, entry.getValue().timeout());
			if (entry.getValue().value().length == 0) {
				if (fallback != null) {
					throw invalid(entry.getKey(), "it is a second default @OnMessage method, after "
							+ SocketHandlerMethod.describe(fallback.method()) + "; give one of them a message type");
				}
				fallback = method;
			}
			for (String messageType : entry.getValue().value()) {
				SocketHandlerMethod previous = routes.put(messageType, method);
				if (previous != null) {
					throw invalid(entry.getKey(), "message type '" + messageType + "' is already handled by "
							+ SocketHandlerMethod.describe(previous.method()));
				}
			}
		}
		Map<Class<? extends Throwable>, SocketHandlerMethod> errorHandlers = new LinkedHashMap<>();
		for (Map.Entry<Method, OnError> entry : select(type, OnError.class).entrySet()) {
			SocketHandlerMethod method = methods.create(entry.getKey(), Kind.ERROR, "");
			for (Class<? extends Throwable> handled : handledExceptions(entry.getKey(), entry.getValue())) {
				SocketHandlerMethod previous = errorHandlers.put(handled, method);
				if (previous != null) {
					throw invalid(entry.getKey(), handled.getSimpleName() + " is already handled by "
							+ SocketHandlerMethod.describe(previous.method()));
				}
			}
		}
		return new SocketHandler(settings, this.codec, connect, disconnect, routes, fallback, errorHandlers,
				this.errorObserver);
	}

	@SuppressWarnings("unchecked")
	private List<Class<? extends Throwable>> handledExceptions(Method method, OnError onError) {
		if (onError.value().length > 0) {
			return Arrays.asList(onError.value());
		}
		List<Class<? extends Throwable>> types = new ArrayList<>();
		for (Class<?> parameterType : method.getParameterTypes()) {
			if (Throwable.class.isAssignableFrom(parameterType)) {
				types.add((Class<? extends Throwable>) parameterType);
			}
		}
		if (types.size() != 1) {
			throw invalid(method,
					"an @OnError method needs one exception parameter, or the exception types in " + "@OnError(...)");
		}
		return types;
	}

	private SocketSettings settings(String beanName, Class<?> type, Socket socket) {
		String culprit = ClassUtils.getShortName(type);
		String name = resolve(socket.name());
		if (name.isEmpty()) {
			name = beanName;
		}
		String path = resolve(socket.path());
		if (path.isEmpty()) {
			if (name.contains("/")) {
				throw new InvalidSocketException(culprit, "the socket name '" + name
						+ "' contains '/'; declare the path with @Socket(path = ...) and a plain name");
			}
			path = this.defaults.pathPrefix() + "/" + name;
		}
		if (!path.startsWith("/")) {
			throw new InvalidSocketException(culprit, "the path '" + path + "' must start with '/'");
		}
		int maxMessageSize = sizeOf(culprit, resolve(socket.maxMessageSize()));
		Duration timeout = durationOf(culprit, resolve(socket.handlerTimeout()), this.defaults.handlerTimeout());
		List<String> origins = Arrays.stream(socket.allowedOrigins()).map(this::resolve).toList();
		List<String> subprotocols = Arrays.stream(socket.subprotocols()).map(this::resolve).toList();
		if (socket.concurrency() < 1) {
			throw new InvalidSocketException(culprit, "concurrency must be at least 1");
		}
		return new SocketSettings(name, path, maxMessageSize, timeout, origins.isEmpty() ? null : origins, subprotocols,
				socket.concurrency(), socket.authenticated());
	}

	private int sizeOf(String culprit, String value) {
		if (value.isEmpty()) {
			return this.defaults.maxMessageSize();
		}
		try {
			long bytes = DataSize.parse(value).toBytes();
			if (bytes < 1 || bytes > Integer.MAX_VALUE) {
				throw new IllegalArgumentException("out of range");
			}
			return (int) bytes;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSocketException(culprit, "maxMessageSize '" + value + "' is not a valid size");
		}
	}

	private static @Nullable Duration durationOf(String culprit, String value, @Nullable Duration fallback) {
		if (value.isEmpty()) {
			return fallback;
		}
		try {
			Duration duration = DurationStyle.detectAndParse(value);
			return (duration.isZero() || duration.isNegative()) ? null : duration;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSocketException(culprit, "timeout '" + value + "' is not a valid duration");
		}
	}

	private String resolve(String value) {
		String resolved = this.beanFactory.resolveEmbeddedValue(value);
		return (resolved != null) ? resolved.trim() : "";
	}

	// Sorted, because reflection returns methods in no particular order and startup
	// failures must name the same culprit every time. The descriptions use simple type
	// names, so overloads on Rooms.Join and Games.Join need the full signature to stay
	// apart.
	private static <A extends Annotation> Map<Method, A> select(Class<?> type, Class<A> annotation) {
		Map<Method, A> methods = new TreeMap<>(
				Comparator.comparing(SocketHandlerMethod::describe).thenComparing(Method::toGenericString));
		methods.putAll(MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<A>) (method) -> AnnotatedElementUtils.findMergedAnnotation(method,
						annotation)));
		return methods;
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

	/**
	 * The global settings a socket falls back on.
	 *
	 * @param pathPrefix prefix of the paths derived from socket names
	 * @param maxMessageSize largest inbound message, in bytes
	 * @param handlerTimeout timeout of handler methods, {@code null} for none
	 */
	public record Defaults(String pathPrefix, int maxMessageSize, @Nullable Duration handlerTimeout) {

	}

	/**
	 * The kinds of handler method, and what each may declare.
	 */
	private enum Kind {

		CONNECT("@OnConnect"), MESSAGE("@OnMessage"), DISCONNECT("@OnDisconnect"), ERROR("@OnError");

		private final String annotation;

		Kind(String annotation) {
			this.annotation = annotation;
		}

	}

	/**
	 * Builds the handler methods of one socket bean.
	 */
	private final class Methods {

		private final Supplier<Object> bean;

		private final Class<?> beanType;

		private final SocketSettings settings;

		Methods(Supplier<Object> bean, Class<?> beanType, SocketSettings settings) {
			this.bean = bean;
			this.beanType = beanType;
			this.settings = settings;
		}

		<A extends Annotation> @Nullable SocketHandlerMethod single(Class<?> type, Class<A> annotation, Kind kind) {
			Map<Method, A> methods = select(type, annotation);
			if (methods.size() > 1) {
				Method second = new ArrayList<>(methods.keySet()).get(1);
				throw invalid(second, "a socket has at most one " + kind.annotation + " method");
			}
			return methods.isEmpty() ? null : create(methods.keySet().iterator().next(), kind, "");
		}

		SocketHandlerMethod create(Method method, Kind kind, String timeout) {
			Method invocable = invocable(method);
			MethodParameter[] parameters = new MethodParameter[method.getParameterCount()];
			SocketArgumentResolver[] resolvers = new SocketArgumentResolver[parameters.length];
			boolean payload = false;
			for (int i = 0; i < parameters.length; i++) {
				parameters[i] = new MethodParameter(invocable, i);
				parameters[i].initParameterNameDiscovery(parameterNames);
				resolvers[i] = resolverFor(method, parameters[i], kind);
				if (resolvers[i] instanceof PayloadArgumentResolver) {
					if (payload) {
						throw invalid(method, "parameter " + i + " is a second payload; annotate it "
								+ "(@PathParam, @QueryParam, @Header, @Attribute) or register a SocketArgumentResolver");
					}
					payload = true;
				}
			}
			checkReturnType(method, kind);
			Duration methodTimeout = durationOf(SocketHandlerMethod.describe(method), resolve(timeout),
					this.settings.handlerTimeout());
			return new SocketHandlerMethod(this.bean, invocable, parameters, resolvers,
					SocketHandlerFactory.this.blockingScheduler, methodTimeout);
		}

		// A private method of a proxied bean cannot be called on its target.
		private Method invocable(Method method) {
			try {
				return AopUtils.selectInvocableMethod(method, this.beanType);
			}
			catch (IllegalStateException ex) {
				throw invalid(method, ex.getMessage());
			}
		}

		private SocketArgumentResolver resolverFor(Method method, MethodParameter parameter, Kind kind) {
			String position = "parameter " + parameter.getParameterIndex() + " ("
					+ parameter.getParameterType().getSimpleName() + ")";
			if (BuiltInArgumentResolvers.isCloseStatus(parameter) && kind != Kind.DISCONNECT) {
				throw invalid(method, position + ": only @OnDisconnect methods receive the CloseStatus");
			}
			if (BuiltInArgumentResolvers.isException(parameter) && kind != Kind.ERROR) {
				throw invalid(method, position + ": only @OnError methods receive an exception");
			}
			// Annotated parameters first, then the well-known types, then the custom
			// resolvers in order, and last the payload.
			SocketArgumentResolver named = namedValueResolver(method, parameter, position);
			if (named != null) {
				return named;
			}
			checkAttributeName(method, parameter, position);
			for (SocketArgumentResolver resolver : SocketHandlerFactory.this.resolvers) {
				if (supports(method, resolver, parameter, position)) {
					return resolver;
				}
			}
			if (kind != Kind.MESSAGE) {
				throw invalid(method, position + " cannot be resolved: " + kind.annotation
						+ " methods take no payload; annotate it or register a SocketArgumentResolver");
			}
			return payloadResolver(method, parameter);
		}

		private @Nullable SocketArgumentResolver namedValueResolver(Method method, MethodParameter parameter,
				String position) {
			BuiltInArgumentResolvers.NamedValueResolver resolver;
			try {
				resolver = BuiltInArgumentResolvers.namedValue(parameter, SocketHandlerFactory.this.conversionService);
			}
			catch (IllegalStateException ex) {
				throw invalid(method, position + ": " + ex.getMessage());
			}
			if (resolver != null && parameter.hasParameterAnnotation(PathParam.class)
					&& !pathVariables(this.settings.path()).contains(resolver.name())) {
				throw invalid(method, position + ": the path '" + this.settings.path() + "' has no variable '"
						+ resolver.name() + "'");
			}
			return resolver;
		}

		private void checkAttributeName(Method method, MethodParameter parameter, String position) {
			try {
				BuiltInArgumentResolvers.checkAttributeName(parameter);
			}
			catch (IllegalStateException ex) {
				throw invalid(method, position + ": " + ex.getMessage());
			}
		}

		private boolean supports(Method method, SocketArgumentResolver resolver, MethodParameter parameter,
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
			if (hints != null && SocketHandlerFactory.this.validator == null) {
				throw invalid(method, "its payload is annotated for validation, but Bean Validation is not "
						+ "available; add spring-boot-starter-validation");
			}
			return new PayloadArgumentResolver(parameter, SocketHandlerFactory.this.codec, hints,
					SocketHandlerFactory.this.validator);
		}

		private void checkReturnType(Method method, Kind kind) {
			if (kind != Kind.DISCONNECT) {
				return;
			}
			Class<?> returnType = method.getReturnType();
			ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType);
			boolean nothing = returnType == void.class || returnType == Void.class
					|| (adapter != null && !adapter.isMultiValue());
			if (!nothing) {
				throw invalid(method, "it returns " + returnType.getSimpleName()
						+ ", but nothing can be sent after a disconnect; return void or Mono<Void>");
			}
		}

	}

}
