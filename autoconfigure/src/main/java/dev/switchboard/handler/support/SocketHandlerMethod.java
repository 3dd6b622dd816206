package dev.switchboard.handler.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ErrorCode;
import dev.switchboard.handler.SocketArgumentResolver;
import dev.switchboard.handler.SocketInvocation;
import dev.switchboard.handler.support.PayloadArgumentResolver.PayloadKind;

/**
 * A handler method with the resolver of each of its parameters chosen once at startup.
 * Methods that return a reactive type, and those declared
 * {@link dev.switchboard.annotation.NonBlocking}, are called on the caller's thread (the
 * event loop); any other method runs on the bounded scheduler, where it may block. A
 * method on the bounded scheduler, or a reactive result, that does not complete within
 * the method's timeout fails with a {@code timeout} client error.
 *
 * @since 0.1.0
 */
public final class SocketHandlerMethod {

	private static final Log logger = LogFactory.getLog(SocketHandlerMethod.class);

	/**
	 * Where the runtime puts the observation of a call in the Reactor context:
	 * Micrometer's {@code ObservationThreadLocalAccessor.KEY}.
	 */
	private static final String OBSERVATION_KEY = "micrometer.observation";

	private final Supplier<Object> bean;

	private final Method method;

	private final MethodParameter[] parameters;

	private final SocketArgumentResolver[] resolvers;

	private final @Nullable ReactiveAdapter adapter;

	private final @Nullable Scheduler blockingScheduler;

	private final boolean mayReturnReactive;

	private final @Nullable Duration timeout;

	private final @Nullable PayloadKind payload;

	private final boolean loggingContext;

	// A null blockingScheduler: the method does not block and is called on the caller's
	// thread whatever it returns. loggingContext: whether the call runs with the
	// connection and the request in the SLF4J MDC.
	SocketHandlerMethod(Supplier<Object> bean, Method method, MethodParameter[] parameters,
			SocketArgumentResolver[] resolvers, @Nullable Scheduler blockingScheduler, @Nullable Duration timeout,
			boolean loggingContext) {
		this.loggingContext = loggingContext;
		this.bean = bean;
		this.method = method;
		this.parameters = parameters;
		this.resolvers = resolvers;
		this.adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(method.getReturnType());
		this.mayReturnReactive = mayReturnReactive(method.getReturnType());
		this.blockingScheduler = (this.adapter != null) ? null : blockingScheduler;
		this.timeout = timeout;
		this.payload = findPayload(resolvers);
		ReflectionUtils.makeAccessible(method);
	}

	/**
	 * Whether a method that returns this type may return a reactive value: a type an
	 * adapter takes, or one that is neither primitive nor final. A final type that no
	 * adapter takes (String, a record) is what its values are, so that they need no
	 * adapter lookup each.
	 * @param returnType the declared return type
	 * @return whether its values may be reactive
	 */
	static boolean mayReturnReactive(Class<?> returnType) {
		return ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType) != null
				|| (!returnType.isPrimitive() && !Modifier.isFinal(returnType.getModifiers()));
	}

	private static @Nullable PayloadKind findPayload(SocketArgumentResolver[] resolvers) {
		for (SocketArgumentResolver resolver : resolvers) {
			if (resolver instanceof PayloadArgumentResolver payload) {
				return payload.kind();
			}
		}
		return null;
	}

	/**
	 * Whether the method takes binary messages: it has no payload parameter, or one of
	 * bytes.
	 * @return whether it does
	 */
	boolean acceptsBinary() {
		return this.payload == null || this.payload.acceptsBinary();
	}

	Method method() {
		return this.method;
	}

	/**
	 * Resolves the arguments, calls the method and adapts what it returns to the values
	 * to send: none for {@code void} and empty publishers, each element of a publisher,
	 * or the value; within the method's timeout. A reactive method is called when the
	 * result is subscribed to; a result it already holds (such as {@code Mono.just})
	 * comes as a {@link Fuseable.ScalarCallable}, with no timer.
	 * @param invocation the invocation
	 * @param eventLoop the connection's event loop, which times the method
	 * @return the values to send
	 */
	public Flux<Object> invoke(SocketInvocation invocation, Scheduler eventLoop) {
		Scheduler blockingScheduler = this.blockingScheduler;
		if (blockingScheduler != null) {
			return bounded(Mono.create(callBlocking(invocation, blockingScheduler)), eventLoop)
				.flatMapMany((result) -> values(() -> result, eventLoop));
		}
		return Flux.defer(() -> values(() -> call(invocation), eventLoop));
	}

	/**
	 * Like {@link #invoke(SocketInvocation, Scheduler)}, but a method that runs on the
	 * caller's thread is called now, so that a result it already holds is known when this
	 * returns. A method that may block is called as by {@code invoke}, when the result is
	 * subscribed to.
	 * @param invocation the invocation
	 * @param eventLoop the connection's event loop
	 * @return the values to send
	 */
	public Flux<Object> invokeNow(SocketInvocation invocation, Scheduler eventLoop) {
		return (this.blockingScheduler == null) ? values(() -> call(invocation), eventLoop)
				: invoke(invocation, eventLoop);
	}

	private Flux<Object> values(Callable<@Nullable Object> result, Scheduler timer) {
		try {
			return bounded(adapt(result.call()), timer);
		}
		catch (Throwable ex) {
			Exceptions.throwIfJvmFatal(ex);
			return Flux.error(ex);
		}
	}

	// Bounds the time until a single result completes; for a stream, the wait for each
	// element and for the completion after the last one. What is known already has
	// nothing to wait for.
	private Flux<Object> bounded(Flux<Object> values, Scheduler timer) {
		Duration timeout = this.timeout;
		if (timeout == null || values instanceof Fuseable.ScalarCallable) {
			return values;
		}
		return values.timeout(timeout, timeoutError(timeout), timer);
	}

	private Mono<Object> bounded(Mono<Object> value, Scheduler timer) {
		Duration timeout = this.timeout;
		if (timeout == null) {
			return value;
		}
		return value.timeout(timeout, timeoutError(timeout), timer);
	}

	private static <T> Mono<T> timeoutError(Duration timeout) {
		return Mono.error(() -> new ClientErrorException(ErrorCode.TIMEOUT,
				"handler did not complete within " + describe(timeout)));
	}

	// Runs the method on the blocking scheduler. Cancelled (by its timeout, or because
	// the connection closed), it is interrupted, and what it then throws is expected and
	// dropped quietly: Reactor would log it at ERROR as an error nobody could receive.
	// An observation of the call, which the subscriber put in the Reactor context, is
	// current on the scheduler's thread while the method runs.
	private Consumer<MonoSink<Object>> callBlocking(SocketInvocation invocation, Scheduler blockingScheduler) {
		return (sink) -> {
			AtomicBoolean cancelled = new AtomicBoolean();
			Object observation = sink.contextView().getOrDefault(OBSERVATION_KEY, null);
			Disposable task = blockingScheduler.schedule(() -> {
				try {
					Object result = (observation instanceof Observation observed) ? callObserved(invocation, observed)
							: call(invocation);
					sink.success(result);
				}
				catch (Throwable ex) {
					if (!cancelled.get()) {
						sink.error(ex);
					}
					else if (logger.isDebugEnabled()) {
						logger.debug(this + " ended with " + ex + " after it was cancelled");
					}
				}
			});
			sink.onCancel(() -> {
				cancelled.set(true);
				task.dispose();
			});
		};
	}

	// A single result that is already known (Mono.just, Mono.empty, Mono.error) is taken
	// now: the values to send are then known too, with no subscription to wait on.
	private Flux<Object> adapt(@Nullable Object result) throws Exception {
		if (result == null) {
			return Flux.empty();
		}
		if (this.adapter == null && !this.mayReturnReactive) {
			return Flux.just(result);
		}
		ReactiveAdapter adapter = (this.adapter != null) ? this.adapter
				: ReactiveAdapterRegistry.getSharedInstance().getAdapter(result.getClass());
		if (adapter == null) {
			return Flux.just(result);
		}
		Publisher<?> publisher = adapter.toPublisher(result);
		if (publisher instanceof Mono<?> && publisher instanceof Fuseable.ScalarCallable<?> known) {
			Object value = known.call();
			return (value != null) ? Flux.just(value) : Flux.empty();
		}
		return Flux.from(publisher);
	}

	private @Nullable Object callObserved(SocketInvocation invocation, Observation observation) throws Exception {
		try (Observation.Scope scope = observation.openScope()) {
			return call(invocation);
		}
	}

	// The logging context covers what runs in the call, on whatever thread: argument
	// resolution and the method's body, not the operators of a Mono it returns.
	private @Nullable Object call(SocketInvocation invocation) throws Exception {
		if (!this.loggingContext) {
			return callMethod(invocation);
		}
		LoggingContext.put(invocation);
		try {
			return callMethod(invocation);
		}
		finally {
			LoggingContext.clear();
		}
	}

	private @Nullable Object callMethod(SocketInvocation invocation) throws Exception {
		Object[] arguments = new Object[this.parameters.length];
		for (int i = 0; i < arguments.length; i++) {
			arguments[i] = this.resolvers[i].resolveArgument(this.parameters[i], invocation);
		}
		try {
			return this.method.invoke(this.bean.get(), arguments);
		}
		catch (InvocationTargetException ex) {
			Throwable target = ex.getTargetException();
			if (target instanceof Exception exception) {
				throw exception;
			}
			if (target instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(target);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Cannot call " + this, ex);
		}
	}

	private static String describe(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	@Override
	public String toString() {
		return describe(this.method);
	}

	static String describe(Method method) {
		StringBuilder description = new StringBuilder(ClassUtils.getShortName(method.getDeclaringClass()));
		description.append('.').append(method.getName()).append('(');
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			description.append((i > 0) ? ", " : "").append(types[i].getSimpleName());
		}
		return description.append(')').toString();
	}

}
