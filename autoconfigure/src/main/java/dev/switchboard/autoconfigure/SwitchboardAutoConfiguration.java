package dev.switchboard.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.ConversionService;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.SocketAuthenticator;
import dev.switchboard.SocketInterceptor;
import dev.switchboard.Switchboard;
import dev.switchboard.handler.SocketArgumentResolver;
import dev.switchboard.handler.support.MessageCodec;
import dev.switchboard.handler.support.SocketHandler;
import dev.switchboard.handler.support.SocketHandlerFactory;
import dev.switchboard.handler.support.SocketSettings;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.InMemoryConnectionRegistry;
import dev.switchboard.registry.InMemoryMessageBus;
import dev.switchboard.registry.InMemoryStreamHistory;
import dev.switchboard.registry.MessageBus;
import dev.switchboard.registry.StreamHistory;
import dev.switchboard.runtime.HandshakeNegotiator;
import dev.switchboard.runtime.HistoryPolicy;
import dev.switchboard.runtime.ServerSettings;
import dev.switchboard.runtime.SwitchboardMetrics;
import dev.switchboard.runtime.SwitchboardServer;

/**
 * Auto-configuration of Switchboard: serves the {@code @Socket} beans as WebSocket
 * endpoints on WebFlux and Reactor Netty, and provides the {@link Switchboard}.
 * Connections are registered in Redis when {@link SwitchboardRedisAutoConfiguration}
 * applies, else in memory.
 *
 * @since 0.1.0
 */
// Optional modules by name: a class reference to one that is absent makes Spring log a
// warning each time it reads this annotation.
@AutoConfiguration(after = { JacksonAutoConfiguration.class, WebFluxAutoConfiguration.class },
		afterName = { "org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnClass({ DispatcherHandler.class, HttpServer.class, JsonMapper.class })
@Conditional(OnSocketServerCondition.class)
@EnableConfigurationProperties(SwitchboardProperties.class)
public final class SwitchboardAutoConfiguration {

	/**
	 * Order of the socket mapping: ahead of router functions (-1) and annotated
	 * controllers (0), as Boot orders its GraphQL WebSocket mapping.
	 */
	static final int MAPPING_ORDER = -2;

	@Bean
	@ConditionalOnMissingBean(ConnectionRegistry.class)
	InMemoryConnectionRegistry switchboardConnectionRegistry(SwitchboardProperties properties) {
		if (properties.getRegistry() == SwitchboardProperties.Registry.REDIS) {
			throw new IllegalStateException("switchboard.registry=redis needs Spring Data Redis: add "
					+ "spring-boot-starter-data-redis-reactive and configure spring.data.redis");
		}
		return new InMemoryConnectionRegistry();
	}

	@Bean
	@ConditionalOnMissingBean
	MessageBus switchboardMessageBus() {
		return new InMemoryMessageBus();
	}

	@Bean
	@ConditionalOnMissingBean
	StreamHistory switchboardStreamHistory() {
		return new InMemoryStreamHistory();
	}

	@Bean
	@ConditionalOnMissingBean
	SwitchboardServer switchboardServer(SwitchboardProperties properties, ObjectProvider<JsonMapper> jsonMapper,
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<SocketArgumentResolver> resolvers,
			ConnectionRegistry registry, MessageBus bus, ApplicationEventPublisher events,
			ObjectProvider<SwitchboardMetrics> metrics, ObjectProvider<ConversionService> conversionService,
			ObjectProvider<SocketInterceptor> interceptors, ObjectProvider<SocketAuthenticator> authenticator,
			ObjectProvider<ObservationRegistry> observationRegistry, ObjectProvider<StreamHistory> history) {
		SocketSettings.Defaults defaults = new SocketSettings.Defaults(properties.getPathPrefix(),
				Math.toIntExact(properties.getMaxMessageSize().toBytes()),
				properties.getHandlerTimeout().isZero() ? null : properties.getHandlerTimeout());
		SwitchboardMetrics meters = metrics.getIfAvailable(() -> SwitchboardMetrics.NONE);
		MessageCodec codec = new MessageCodec(jsonMapper.getIfAvailable(JsonMapper::new), properties.getTypeField());
		SocketHandlerFactory factory = new SocketHandlerFactory(beanFactory, codec, resolvers.orderedStream().toList(),
				conversionService.getIfUnique(ApplicationConversionService::getSharedInstance),
				BeanValidation.validator(beanFactory), Schedulers.boundedElastic(), defaults,
				loggingContext(properties, beanFactory.getBeanClassLoader()));
		List<SocketHandler> handlers = factory.createHandlers();
		return new SwitchboardServer(serverSettings(properties), codec, handlers, registry, bus, events, meters,
				interceptors.orderedStream().toList(), authenticator.getIfAvailable(),
				observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP),
				historyPolicy(properties, history.getIfAvailable()));
	}

	private static HistoryPolicy historyPolicy(SwitchboardProperties properties, @Nullable StreamHistory history) {
		List<HistoryPolicy.Rule> rules = properties.getHistory()
			.getStreams()
			.stream()
			.map((stream) -> new HistoryPolicy.Rule(stream.getPattern(),
					new StreamHistory.Limits(stream.getSize(), stream.getAge())))
			.toList();
		return new HistoryPolicy(history, rules);
	}

	// The MDC is SLF4J's: an application that logs without it has none to fill.
	private static boolean loggingContext(SwitchboardProperties properties, @Nullable ClassLoader classLoader) {
		return properties.getLogging().isMdc() && ClassUtils.isPresent("org.slf4j.MDC", classLoader);
	}

	/**
	 * This instance's id, checked.
	 * @param properties the properties
	 * @return the id
	 * @throws IllegalStateException when it is not made of letters, digits, '-' and '_'
	 */
	static String instanceId(SwitchboardProperties properties) {
		String instanceId = properties.getInstanceId();
		if (instanceId.isEmpty() || !instanceId.matches("[A-Za-z0-9_-]+")) {
			throw new IllegalStateException(
					"switchboard.instance-id '" + instanceId + "' must be made of letters, digits, '-' and '_'");
		}
		return instanceId;
	}

	static ServerSettings serverSettings(SwitchboardProperties properties) {
		return new ServerSettings(instanceId(properties), properties.getHandshakeTimeout(),
				properties.getCloseTimeout(), properties.getPingInterval(), properties.getPongTimeout(),
				properties.getIdleTimeout(), properties.getOutbound().getBufferSize().toBytes(),
				properties.getOutbound().getOverflow(), properties.getOutbound().getWriteTimeout(),
				List.copyOf(properties.getAllowedOrigins()), properties.isAllowMissingOrigin(),
				properties.isCompression(), properties.getShutdownTimeout(), security(properties.getSecurity()),
				limits(properties.getLimits()), logging(properties.getLogging()));
	}

	private static ServerSettings.Security security(SwitchboardProperties.Security security) {
		SwitchboardProperties.Security.Token token = security.getToken();
		return new ServerSettings.Security(security.isRequireAuthentication(), security.isRejectAfterUpgrade(),
				token.getHeader(), token.getSubprotocol(), token.getCookie(), token.getQueryParameter());
	}

	private static ServerSettings.Logging logging(SwitchboardProperties.Logging logging) {
		return new ServerSettings.Logging(logging.getLinesPerInterval(), logging.getInterval(), logging.isMdc());
	}

	private static ServerSettings.Limits limits(SwitchboardProperties.Limits limits) {
		return new ServerSettings.Limits(limits.getMessagesPerSecond(), limits.getMessageBurst(),
				limits.getRateLimitAction(), limits.getConnectionsPerUser(), limits.getConnectionsPerInstance());
	}

	@Bean
	@ConditionalOnMissingBean
	Switchboard switchboard(SwitchboardServer server) {
		return server.switchboard();
	}

	@Bean
	SimpleUrlHandlerMapping switchboardHandlerMapping(SwitchboardServer server, SwitchboardProperties properties) {
		Map<String, Object> urls = new LinkedHashMap<>();
		server.endpoints().forEach((endpoint) -> urls.put(endpoint.socket().path(), endpoint));
		if (properties.getBrowserClient().isEnabled()) {
			urls.putIfAbsent(BrowserClientHandler.path(properties.getPathPrefix()), new BrowserClientHandler());
		}
		SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(urls, MAPPING_ORDER);
		// Spring's WebSocketUpgradeHandlerPredicate only filters WebSocketHandlers: ours
		// are WebHandlers.
		mapping.setHandlerPredicate((handler, exchange) -> !(handler instanceof HandshakeNegotiator)
				|| HandshakeNegotiator.isUpgrade(exchange));
		return mapping;
	}

	/**
	 * Hands every TCP connection the web server accepts to the server, which times its
	 * handshake and counts it against the per-instance limit. The server is looked up
	 * when the first connection comes, so that it is not created with the web server.
	 * @param server the server
	 * @return the customizer
	 */
	@Bean
	NettyServerCustomizer switchboardNettyServerCustomizer(ObjectProvider<SwitchboardServer> server) {
		SingletonSupplier<SwitchboardServer> switchboard = SingletonSupplier.of(server::getIfAvailable);
		return (httpServer) -> httpServer.doOnChannelInit((observer, channel, remoteAddress) -> {
			SwitchboardServer current = switchboard.get();
			if (current != null) {
				current.connectionAccepted(channel);
			}
		});
	}

	@Bean
	static SwitchboardHealthGroup switchboardHealthGroup() {
		return new SwitchboardHealthGroup();
	}

	@Bean
	static SocketUrlLogger switchboardSocketUrlLogger(ObjectProvider<SwitchboardServer> server) {
		return new SocketUrlLogger(server);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveHealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("switchboard-registry")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "switchboardRegistryHealthIndicator")
		ReactiveHealthIndicator switchboardRegistryHealthIndicator(SwitchboardProperties properties) {
			String instanceId = instanceId(properties);
			return () -> Mono
				.just(Health.up().withDetail("registry", "memory").withDetail("instance", instanceId).build());
		}

	}

	// The endpoint's condition is on its bean, not on the class: Spring instantiates
	// every condition of a class before it checks any, and that one is Actuator's.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	static class EndpointConfiguration {

		// With the Redis registry, SwitchboardRedisAutoConfiguration defines the
		// endpoint first.
		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint(SwitchboardEndpoint.class)
		SwitchboardEndpoint switchboardEndpoint(SwitchboardServer server) {
			return SwitchboardEndpoint.local(server);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(SwitchboardEndpoint.class)
		SwitchboardEndpointWebExtension switchboardEndpointWebExtension(SwitchboardEndpoint endpoint) {
			return new SwitchboardEndpointWebExtension(endpoint);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("switchboard.http-api.enabled")
	static class HttpApiConfiguration {

		private static final String SPRING_SECURITY = "org.springframework.security.web.server.WebFilterChainProxy";

		// Ordered as the sockets' mapping, ahead of router functions and controllers, so
		// that no controller of the application takes the API's path.
		@Bean
		SimpleUrlHandlerMapping switchboardHttpApiMapping(SwitchboardProperties properties, SwitchboardServer server,
				Switchboard switchboard, ListableBeanFactory beanFactory) {
			SwitchboardProperties.HttpApi api = properties.getHttpApi();
			String path = HttpSendApiSetup.path(api.getPath(), server.endpoints());
			HttpSendApiAccess access = HttpSendApiSetup.access(api, hasSpringSecurity(beanFactory));
			HttpSendApi handler = new HttpSendApi(switchboard, access, HttpSendApiSetup.maxBodySize(api));
			return new SimpleUrlHandlerMapping(Map.of(path, handler), MAPPING_ORDER);
		}

		private static boolean hasSpringSecurity(ListableBeanFactory beanFactory) {
			ClassLoader classLoader = (beanFactory instanceof ConfigurableListableBeanFactory configurable)
					? configurable.getBeanClassLoader() : null;
			if (!ClassUtils.isPresent(SPRING_SECURITY, classLoader)) {
				return false;
			}
			Class<?> filter = ClassUtils.resolveClassName(SPRING_SECURITY, classLoader);
			return beanFactory.getBeanNamesForType(filter, true, false).length > 0;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SwitchboardMetrics switchboardMetrics(MeterRegistry registry) {
			return new MicrometerSwitchboardMetrics(registry);
		}

		// One gauge per socket: a backend sums them for the instance's total, as the
		// Actuator metrics endpoint does without a tag.
		@Bean
		MeterBinder switchboardConnectionsMeter(SwitchboardServer server) {
			return (registry) -> server.endpoints().forEach((endpoint) -> {
				String socket = endpoint.socket().name();
				Gauge.builder("switchboard.connections", server, (current) -> current.connectionCount(socket))
					.description("Connections open on this instance")
					.tag("socket", socket)
					.register(registry);
			});
		}

	}

}
