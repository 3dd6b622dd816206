package dev.switchboard.handler.support;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.convert.ConversionService;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.validation.SmartValidator;
import reactor.core.scheduler.Scheduler;

import dev.switchboard.annotation.NonBlocking;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnDisconnect;
import dev.switchboard.annotation.OnError;
import dev.switchboard.annotation.OnMessage;
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

	private final ConfigurableListableBeanFactory beanFactory;

	private final String typeField;

	private final SocketSettingsResolver settings;

	private final ArgumentResolverChain resolvers;

	private final Scheduler blockingScheduler;

	private final boolean loggingContext;

	/**
	 * Creates a factory.
	 * @param beanFactory the bean factory holding the {@code @Socket} beans
	 * @param codec the message codec
	 * @param customResolvers the application's argument resolvers, in order
	 * @param conversionService converts path, query, header and attribute values
	 * @param validator validates {@code @Valid} payloads, {@code null} without Bean
	 * Validation
	 * @param blockingScheduler runs handler methods that do not return a reactive type
	 * and are not declared {@link NonBlocking}
	 * @param defaults the global settings
	 * @param loggingContext whether handler methods run with the connection and the
	 * request in the SLF4J MDC, which must then be on the class path
	 */
	public SocketHandlerFactory(ConfigurableListableBeanFactory beanFactory, MessageCodec codec,
			List<SocketArgumentResolver> customResolvers, ConversionService conversionService,
			@Nullable SmartValidator validator, Scheduler blockingScheduler, SocketSettings.Defaults defaults,
			boolean loggingContext) {
		this.loggingContext = loggingContext;
		this.beanFactory = beanFactory;
		this.typeField = codec.typeField();
		this.settings = new SocketSettingsResolver(beanFactory, defaults);
		this.resolvers = new ArgumentResolverChain(conversionService, customResolvers, codec, validator);
		this.blockingScheduler = blockingScheduler;
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
		SocketSettings settings = this.settings.resolve(beanName, type, socket);
		Supplier<Object> bean = SingletonSupplier.of(() -> this.beanFactory.getBean(beanName));
		HandlerMethodBuilder methods = new HandlerMethodBuilder(bean, beanType, settings);
		SocketHandlerMethod connect = methods.single(type, OnConnect.class, HandlerKind.CONNECT);
		SocketHandlerMethod disconnect = methods.single(type, OnDisconnect.class, HandlerKind.DISCONNECT);
		Map<String, SocketHandlerMethod> routes = new LinkedHashMap<>();
		SocketHandlerMethod fallback = null;
		for (Map.Entry<Method, OnMessage> entry : select(type, OnMessage.class).entrySet()) {
			SocketHandlerMethod method = methods.create(entry.getKey(), HandlerKind.MESSAGE,
					entry.getValue().timeout());
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
			SocketHandlerMethod method = methods.create(entry.getKey(), HandlerKind.ERROR, "");
			for (Class<? extends Throwable> handled : handledExceptions(entry.getKey(), entry.getValue())) {
				SocketHandlerMethod previous = errorHandlers.put(handled, method);
				if (previous != null) {
					throw invalid(entry.getKey(), handled.getSimpleName() + " is already handled by "
							+ SocketHandlerMethod.describe(previous.method()));
				}
			}
		}
		return new SocketHandler(settings, this.typeField, connect, disconnect, routes, fallback, errorHandlers);
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
					"an @OnError method needs one exception parameter, or the exception types in @OnError(...)");
		}
		return types;
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

	private static InvalidSocketException invalid(Method method, String problem) {
		return new InvalidSocketException(SocketHandlerMethod.describe(method), problem);
	}

	/**
	 * Builds the handler methods of one socket bean.
	 */
	private final class HandlerMethodBuilder {

		private final Supplier<Object> bean;

		private final Class<?> beanType;

		private final SocketSettings settings;

		HandlerMethodBuilder(Supplier<Object> bean, Class<?> beanType, SocketSettings settings) {
			this.bean = bean;
			this.beanType = beanType;
			this.settings = settings;
		}

		<A extends Annotation> @Nullable SocketHandlerMethod single(Class<?> type, Class<A> annotation,
				HandlerKind kind) {
			Map<Method, A> methods = select(type, annotation);
			if (methods.size() > 1) {
				Method second = new ArrayList<>(methods.keySet()).get(1);
				throw invalid(second, "a socket has at most one " + kind.annotation() + " method");
			}
			return methods.isEmpty() ? null : create(methods.keySet().iterator().next(), kind, "");
		}

		SocketHandlerMethod create(Method method, HandlerKind kind, String timeout) {
			Method invocable = invocable(method);
			MethodParameter[] parameters = new MethodParameter[method.getParameterCount()];
			SocketArgumentResolver[] resolvers = new SocketArgumentResolver[parameters.length];
			boolean payload = false;
			for (int i = 0; i < parameters.length; i++) {
				parameters[i] = new MethodParameter(invocable, i);
				parameters[i].initParameterNameDiscovery(parameterNames);
				resolvers[i] = SocketHandlerFactory.this.resolvers.resolverFor(method, parameters[i], kind,
						this.settings.path());
				if (resolvers[i] instanceof PayloadArgumentResolver) {
					if (payload) {
						throw invalid(method, "parameter " + i + " is a second payload; annotate it "
								+ "(@PathParam, @QueryParam, @Header, @Attribute) or register a SocketArgumentResolver");
					}
					payload = true;
				}
			}
			checkReturnType(method, kind);
			Duration methodTimeout = SocketHandlerFactory.this.settings.timeout(SocketHandlerMethod.describe(method),
					timeout, this.settings.handlerTimeout());
			boolean nonBlocking = AnnotatedElementUtils.hasAnnotation(method, NonBlocking.class)
					|| AnnotatedElementUtils.hasAnnotation(this.beanType, NonBlocking.class);
			if (nonBlocking && !timeout.isEmpty() && !SocketHandlerMethod.mayReturnReactive(method.getReturnType())) {
				throw invalid(method, "it is @NonBlocking and returns " + method.getReturnType().getSimpleName()
						+ ", which no timeout can stop; remove its timeout or return a reactive type");
			}
			return new SocketHandlerMethod(this.bean, invocable, parameters, resolvers,
					nonBlocking ? null : SocketHandlerFactory.this.blockingScheduler, methodTimeout,
					SocketHandlerFactory.this.loggingContext);
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

		private void checkReturnType(Method method, HandlerKind kind) {
			if (kind != HandlerKind.DISCONNECT) {
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
