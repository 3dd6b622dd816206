package dev.switchboard.autoconfigure;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import dev.switchboard.OverflowPolicy;
import dev.switchboard.RateLimitAction;
import dev.switchboard.registry.redis.RedisRegistryFactory;

/**
 * Configuration properties of Switchboard.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("switchboard")
public class SwitchboardProperties {

	/**
	 * Prefix of the paths of sockets declared by name, served at {path-prefix}/{name}.
	 */
	private String pathPrefix = "/ws";

	/**
	 * Connection registry: auto uses Redis when Redis is explicitly configured, with
	 * spring.data.redis properties that locate a server (url, host, port, sentinel,
	 * cluster...) or a connection factory bean, else memory.
	 */
	private Registry registry = Registry.AUTO;

	/**
	 * Id of this instance in the cluster, part of every connection id; random by default.
	 */
	private String instanceId = randomInstanceId();

	/**
	 * Origins allowed to open connections, such as https://chat.example.com, or * for
	 * any; when empty only the page's own origin may connect.
	 */
	private List<String> allowedOrigins = new ArrayList<>();

	/**
	 * Whether a handshake without an Origin header, which browsers always send, is
	 * allowed.
	 */
	private boolean allowMissingOrigin = true;

	/**
	 * Largest message accepted from a client; larger messages close the connection with
	 * 1009.
	 */
	private DataSize maxMessageSize = DataSize.ofKilobytes(64);

	/**
	 * Time a handler method may take before the client gets a timeout error; 0 for no
	 * limit.
	 */
	private Duration handlerTimeout = Duration.ofSeconds(10);

	/**
	 * Name of the JSON field whose value routes a message to an @OnMessage method.
	 */
	private String typeField = "type";

	/**
	 * Whether permessage-deflate compression is negotiated with clients that offer it.
	 */
	private boolean compression;

	/**
	 * Silence from a client after which the server pings it; 0 to never ping.
	 */
	private Duration pingInterval = Duration.ofSeconds(30);

	/**
	 * Time a client has to answer a ping before its connection is closed with 1001.
	 */
	private Duration pongTimeout = Duration.ofSeconds(10);

	/**
	 * Time without any message from a client after which its connection is closed with
	 * 1001; 0 to keep quiet clients, whose liveness pings already check.
	 */
	private Duration idleTimeout = Duration.ZERO;

	/**
	 * Time from a TCP connection's accept to its upgrade to a WebSocket: a connection
	 * that has not sent a complete request, or whose handshake is not done, by then is
	 * closed. 0 for no limit.
	 */
	private Duration handshakeTimeout = Duration.ofSeconds(10);

	/**
	 * Time a close handshake may take before the TCP connection is closed anyway.
	 */
	private Duration closeTimeout = Duration.ofSeconds(5);

	/**
	 * Time shutdown waits for connections to close after sending them 1001, and for the
	 * sends to other instances in flight, which then fail.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	private final Outbound outbound = new Outbound();

	private final Redis redis = new Redis();

	private final Security security = new Security();

	private final Limits limits = new Limits();

	private final Logging logging = new Logging();

	private final HttpApi httpApi = new HttpApi();

	private final Emitter emitter = new Emitter();

	private final BrowserClient browserClient = new BrowserClient();

	private final History history = new History();

	public BrowserClient getBrowserClient() {
		return this.browserClient;
	}

	public History getHistory() {
		return this.history;
	}

	public String getPathPrefix() {
		return this.pathPrefix;
	}

	public void setPathPrefix(String pathPrefix) {
		this.pathPrefix = pathPrefix;
	}

	public Registry getRegistry() {
		return this.registry;
	}

	public void setRegistry(Registry registry) {
		this.registry = registry;
	}

	public String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(String instanceId) {
		this.instanceId = instanceId;
	}

	// Ten lower-case letters and digits, drawn once per application.
	private static String randomInstanceId() {
		String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
		SecureRandom random = new SecureRandom();
		StringBuilder id = new StringBuilder();
		for (int i = 0; i < 10; i++) {
			id.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return id.toString();
	}

	public List<String> getAllowedOrigins() {
		return this.allowedOrigins;
	}

	public void setAllowedOrigins(List<String> allowedOrigins) {
		this.allowedOrigins = allowedOrigins;
	}

	public boolean isAllowMissingOrigin() {
		return this.allowMissingOrigin;
	}

	public void setAllowMissingOrigin(boolean allowMissingOrigin) {
		this.allowMissingOrigin = allowMissingOrigin;
	}

	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	public Duration getHandlerTimeout() {
		return this.handlerTimeout;
	}

	public void setHandlerTimeout(Duration handlerTimeout) {
		this.handlerTimeout = handlerTimeout;
	}

	public String getTypeField() {
		return this.typeField;
	}

	public void setTypeField(String typeField) {
		this.typeField = typeField;
	}

	public boolean isCompression() {
		return this.compression;
	}

	public void setCompression(boolean compression) {
		this.compression = compression;
	}

	public Duration getPingInterval() {
		return this.pingInterval;
	}

	public void setPingInterval(Duration pingInterval) {
		this.pingInterval = pingInterval;
	}

	public Duration getPongTimeout() {
		return this.pongTimeout;
	}

	public void setPongTimeout(Duration pongTimeout) {
		this.pongTimeout = pongTimeout;
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	public Duration getHandshakeTimeout() {
		return this.handshakeTimeout;
	}

	public void setHandshakeTimeout(Duration handshakeTimeout) {
		this.handshakeTimeout = handshakeTimeout;
	}

	public Duration getCloseTimeout() {
		return this.closeTimeout;
	}

	public void setCloseTimeout(Duration closeTimeout) {
		this.closeTimeout = closeTimeout;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Outbound getOutbound() {
		return this.outbound;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Security getSecurity() {
		return this.security;
	}

	public Limits getLimits() {
		return this.limits;
	}

	public Logging getLogging() {
		return this.logging;
	}

	public HttpApi getHttpApi() {
		return this.httpApi;
	}

	public Emitter getEmitter() {
		return this.emitter;
	}

	/**
	 * The connection registries.
	 */
	public enum Registry {

		/**
		 * Redis when Redis is explicitly configured, else memory.
		 */
		AUTO,

		/**
		 * In memory: one instance.
		 */
		MEMORY,

		/**
		 * Redis: any number of instances.
		 */
		REDIS

	}

	/**
	 * What is sent to clients.
	 */
	public static class Outbound {

		/**
		 * Bytes that may wait to be written to one connection, beyond what the socket
		 * itself buffers.
		 */
		private DataSize bufferSize = DataSize.ofKilobytes(256);

		/**
		 * What happens to a message for a connection whose buffer is full: close the
		 * connection with 1013, or drop the message and count it.
		 */
		private OverflowPolicy overflow = OverflowPolicy.CLOSE;

		/**
		 * Time the network may take none of a connection's data while some waits for it;
		 * then the client is not reading, and its connection is closed with 1013. 0 for
		 * no limit.
		 */
		private Duration writeTimeout = Duration.ofSeconds(30);

		public DataSize getBufferSize() {
			return this.bufferSize;
		}

		public void setBufferSize(DataSize bufferSize) {
			this.bufferSize = bufferSize;
		}

		public OverflowPolicy getOverflow() {
			return this.overflow;
		}

		public void setOverflow(OverflowPolicy overflow) {
			this.overflow = overflow;
		}

		public Duration getWriteTimeout() {
			return this.writeTimeout;
		}

		public void setWriteTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
		}

	}

	/**
	 * The Redis registry.
	 */
	public static class Redis {

		/**
		 * Prefix of Switchboard's keys and channels, so that several applications can
		 * share one Redis; keys carry it as their Redis Cluster hash tag.
		 */
		private String keyPrefix = "switchboard";

		/**
		 * Longest time between the death of an instance, without a goodbye, and the
		 * moment the other instances start purging its connections; leases are renewed at
		 * a third of it.
		 */
		private Duration instanceTimeout = Duration.ofSeconds(15);

		/**
		 * Time a Redis command may take before Redis is considered unreachable. Must be
		 * shorter than a third of the instance timeout.
		 */
		private Duration commandTimeout = Duration.ofSeconds(2);

		/**
		 * Time between attempts to reach Redis again while it is unreachable, whatever
		 * the Redis client's own reconnection backoff. Must be positive.
		 */
		private Duration reconnectInterval = Duration.ofSeconds(1);

		/**
		 * Connections removed per script run while purging a dead instance. Must be
		 * positive.
		 */
		private int purgeBatchSize = 500;

		/**
		 * How the keys are laid out over a Redis Cluster's slots: spread per instance,
		 * user and room on a Cluster ("auto"), or every key in one slot ("single-slot",
		 * the layout of earlier versions). All instances and emitters of an application
		 * must use the same.
		 */
		private RedisRegistryFactory.KeyLayout keyLayout = RedisRegistryFactory.KeyLayout.AUTO;

		/**
		 * How instances publish to each other: sharded (SPUBLISH) on a Redis Cluster with
		 * the spread layout ("auto"), or classic (PUBLISH), which a Cluster copies to
		 * every node.
		 */
		private RedisRegistryFactory.PubSub pubSub = RedisRegistryFactory.PubSub.AUTO;

		/**
		 * The registry's settings.
		 * @return the settings these properties make
		 */
		public RedisRegistryFactory.Settings settings() {
			return new RedisRegistryFactory.Settings(this.keyPrefix, this.instanceTimeout, this.commandTimeout,
					this.reconnectInterval, this.purgeBatchSize, this.keyLayout, this.pubSub);
		}

		public RedisRegistryFactory.KeyLayout getKeyLayout() {
			return this.keyLayout;
		}

		public void setKeyLayout(RedisRegistryFactory.KeyLayout keyLayout) {
			this.keyLayout = keyLayout;
		}

		public RedisRegistryFactory.PubSub getPubSub() {
			return this.pubSub;
		}

		public void setPubSub(RedisRegistryFactory.PubSub pubSub) {
			this.pubSub = pubSub;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getInstanceTimeout() {
			return this.instanceTimeout;
		}

		public void setInstanceTimeout(Duration instanceTimeout) {
			this.instanceTimeout = instanceTimeout;
		}

		public Duration getCommandTimeout() {
			return this.commandTimeout;
		}

		public void setCommandTimeout(Duration commandTimeout) {
			this.commandTimeout = commandTimeout;
		}

		public Duration getReconnectInterval() {
			return this.reconnectInterval;
		}

		public void setReconnectInterval(Duration reconnectInterval) {
			this.reconnectInterval = reconnectInterval;
		}

		public int getPurgeBatchSize() {
			return this.purgeBatchSize;
		}

		public void setPurgeBatchSize(int purgeBatchSize) {
			this.purgeBatchSize = purgeBatchSize;
		}

	}

	/**
	 * Authentication at the handshake.
	 */
	public static class Security {

		/**
		 * Whether every socket needs an authenticated user; a handshake without one is
		 * answered with 401.
		 */
		private boolean requireAuthentication;

		/**
		 * Whether handshakes refused with 401, 403 or 429 (except for their origin) are
		 * upgraded and then closed with the reason, which a browser page can read,
		 * instead of answered with the HTTP status, which it cannot. A 401 or 403 closes
		 * with 1008, a 429 with 1013.
		 */
		private boolean rejectAfterUpgrade;

		private final Token token = new Token();

		public boolean isRequireAuthentication() {
			return this.requireAuthentication;
		}

		public void setRequireAuthentication(boolean requireAuthentication) {
			this.requireAuthentication = requireAuthentication;
		}

		public boolean isRejectAfterUpgrade() {
			return this.rejectAfterUpgrade;
		}

		public void setRejectAfterUpgrade(boolean rejectAfterUpgrade) {
			this.rejectAfterUpgrade = rejectAfterUpgrade;
		}

		public Token getToken() {
			return this.token;
		}

		/**
		 * Where the token a SocketAuthenticator checks is read from.
		 */
		public static class Token {

			/**
			 * Header carrying "Bearer" and the token; empty to ignore headers.
			 */
			private String header = "Authorization";

			/**
			 * Subprotocol a browser offers just before its token; only this marker is
			 * echoed. Empty to ignore subprotocols.
			 */
			private String subprotocol = "switchboard.token";

			/**
			 * Cookie carrying the token; none by default.
			 */
			private @Nullable String cookie;

			/**
			 * Query parameter carrying the token; none by default, because URLs end up in
			 * access logs.
			 */
			private @Nullable String queryParameter;

			public String getHeader() {
				return this.header;
			}

			public void setHeader(String header) {
				this.header = header;
			}

			public String getSubprotocol() {
				return this.subprotocol;
			}

			public void setSubprotocol(String subprotocol) {
				this.subprotocol = subprotocol;
			}

			public @Nullable String getCookie() {
				return this.cookie;
			}

			public void setCookie(@Nullable String cookie) {
				this.cookie = cookie;
			}

			public @Nullable String getQueryParameter() {
				return this.queryParameter;
			}

			public void setQueryParameter(@Nullable String queryParameter) {
				this.queryParameter = queryParameter;
			}

		}

	}

	/**
	 * Limits that protect the server from hostile or broken clients.
	 */
	public static class Limits {

		/**
		 * Messages a connection may send per second on average; 0 for no limit.
		 */
		private int messagesPerSecond = 50;

		/**
		 * Messages a connection may send at once above its average rate.
		 */
		private int messageBurst = 100;

		/**
		 * What happens to a message over the rate: a rate-limited error reply with the
		 * message dropped, or the connection closed with 1008.
		 */
		private RateLimitAction rateLimitAction = RateLimitAction.REPLY;

		/**
		 * Connections a user may hold across the cluster; 0 for no limit.
		 */
		private int connectionsPerUser = 16;

		/**
		 * Connections this instance accepts; 0 for no limit.
		 */
		private int connectionsPerInstance = 10_000;

		public int getMessagesPerSecond() {
			return this.messagesPerSecond;
		}

		public void setMessagesPerSecond(int messagesPerSecond) {
			this.messagesPerSecond = messagesPerSecond;
		}

		public int getMessageBurst() {
			return this.messageBurst;
		}

		public void setMessageBurst(int messageBurst) {
			this.messageBurst = messageBurst;
		}

		public RateLimitAction getRateLimitAction() {
			return this.rateLimitAction;
		}

		public void setRateLimitAction(RateLimitAction rateLimitAction) {
			this.rateLimitAction = rateLimitAction;
		}

		public int getConnectionsPerUser() {
			return this.connectionsPerUser;
		}

		public void setConnectionsPerUser(int connectionsPerUser) {
			this.connectionsPerUser = connectionsPerUser;
		}

		public int getConnectionsPerInstance() {
			return this.connectionsPerInstance;
		}

		public void setConnectionsPerInstance(int connectionsPerInstance) {
			this.connectionsPerInstance = connectionsPerInstance;
		}

	}

	/**
	 * The log lines of connections and the logging context of handlers.
	 */
	public static class Logging {

		/**
		 * INFO lines of one reason (a kind of rejection or loss) logged per interval; the
		 * others are counted and the count logged with the next line of that reason.
		 */
		private int linesPerInterval = 10;

		/**
		 * Interval over which the INFO lines of one reason are bounded.
		 */
		private Duration interval = Duration.ofMinutes(1);

		/**
		 * Whether handler methods run with the connection id, socket, user and request id
		 * in the SLF4J MDC.
		 */
		private boolean mdc = true;

		public int getLinesPerInterval() {
			return this.linesPerInterval;
		}

		public void setLinesPerInterval(int linesPerInterval) {
			this.linesPerInterval = linesPerInterval;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public boolean isMdc() {
			return this.mdc;
		}

		public void setMdc(boolean mdc) {
			this.mdc = mdc;
		}

	}

	/**
	 * The history of streams, from which connections of sockets with recovery get what
	 * they missed.
	 */
	public static class History {

		/**
		 * Streams that keep a history, by name pattern; the first pattern that matches a
		 * stream's name applies, and a stream that none matches keeps none.
		 */
		private List<Stream> streams = new ArrayList<>();

		public List<Stream> getStreams() {
			return this.streams;
		}

		public void setStreams(List<Stream> streams) {
			this.streams = streams;
		}

		/**
		 * Streams that keep a history, and how much.
		 */
		public static class Stream {

			/**
			 * Names of the streams: "room:", "user:" or "socket:" then a name, in which
			 * "*" stands for any characters, such as "room:*" or "socket:chat".
			 */
			private String pattern = "";

			/**
			 * Most messages kept per stream.
			 */
			private int size = 100;

			/**
			 * Longest time a message is kept.
			 */
			private Duration age = Duration.ofMinutes(5);

			public String getPattern() {
				return this.pattern;
			}

			public void setPattern(String pattern) {
				this.pattern = pattern;
			}

			public int getSize() {
				return this.size;
			}

			public void setSize(int size) {
				this.size = size;
			}

			public Duration getAge() {
				return this.age;
			}

			public void setAge(Duration age) {
				this.age = age;
			}

		}

	}

	/**
	 * The browser client, switchboard.js.
	 */
	public static class BrowserClient {

		/**
		 * Whether the browser client is served at {path-prefix}/switchboard.js.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * The HTTP send API, through which processes that serve no sockets send.
	 */
	public static class HttpApi {

		/**
		 * Whether the HTTP send API is served; it needs Spring Security or a key.
		 */
		private boolean enabled;

		/**
		 * Path at which the HTTP send API answers POST requests.
		 */
		private String path = "/switchboard/api/send";

		/**
		 * Key a caller presents as a bearer token in the Authorization header, at least
		 * 16 characters; none by default.
		 */
		private @Nullable String key;

		/**
		 * Authority a caller authenticated by Spring Security needs, such as ROLE_SENDER;
		 * without it, only callers with the key may send.
		 */
		private @Nullable String authority;

		/**
		 * Largest request body accepted; a larger one is answered with 413.
		 */
		private DataSize maxBodySize = DataSize.ofKilobytes(64);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public @Nullable String getKey() {
			return this.key;
		}

		public void setKey(@Nullable String key) {
			this.key = key;
		}

		public @Nullable String getAuthority() {
			return this.authority;
		}

		public void setAuthority(@Nullable String authority) {
			this.authority = authority;
		}

		public DataSize getMaxBodySize() {
			return this.maxBodySize;
		}

		public void setMaxBodySize(DataSize maxBodySize) {
			this.maxBodySize = maxBodySize;
		}

	}

	/**
	 * The send-only Switchboard of a process that serves no sockets.
	 */
	public static class Emitter {

		/**
		 * Whether to provide the send-only Switchboard, which sends through Redis to the
		 * instances that serve the sockets. When unset, it is provided in an application
		 * that is not a reactive web application and has Redis.
		 */
		private @Nullable Boolean enabled;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

	}

}
