package dev.switchboard.test;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A Redis server dedicated to the tests, found or started in this order.
 * <ol>
 * <li>Environment variable {@code REDIS_URL}
 * ({@code redis://[[user:]password@]host:port}): a server that someone dedicated to the
 * tests. The tests use it, read and reset its stats, but cannot stop, restart or flush
 * it: a server stopped remotely (with {@code SHUTDOWN NOSAVE}) cannot be started again
 * remotely, and a server the tests did not start may hold data that is not theirs. Those
 * operations throw {@link UnsupportedOperationException}.</li>
 * <li>A {@code redis:7.0} container from Testcontainers when a Docker engine runs, bound
 * to a fixed free host port so that it keeps its port across a restart.</li>
 * <li>A {@code redis-server} process from the {@code PATH}, started on a free port of the
 * loopback interface with a private working directory, no persistence, and stopped when
 * the JVM exits.</li>
 * </ol>
 * When none is available the tests fail, never skip: Redis-backed behaviour that is not
 * tested is not known to work. A Redis that something else runs (on 6379, say) is never
 * used: the port is always chosen free, and a started process checks that the server
 * answering on its port is itself.
 * <p>
 * Replies are read with a small RESP client of its own over a plain socket, so that the
 * harness depends on neither Lettuce nor Spring.
 *
 * @since 0.1.0
 */
public final class TestRedis implements AutoCloseable {

	/**
	 * How to get a Redis server for the tests when none is available.
	 */
	public static final String HOW_TO_GET_REDIS = "install redis-server (apt-get install -y redis-server), "
			+ "or run a Docker engine, or set REDIS_URL to a server dedicated to the tests";

	private static final String OWN_SERVER_HINT = "set no REDIS_URL to let the tests manage their own redis-server";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration DOCKER_CHECK_TIMEOUT = Duration.ofSeconds(15);

	private static final int CONNECT_TIMEOUT_MILLIS = 2000;

	private static final Pattern CALLS = Pattern.compile("calls=(\\d+)");

	private static @Nullable TestRedis shared;

	private static @Nullable Boolean dockerAvailable;

	private final Server server;

	private final boolean isShared;

	private TestRedis(Server server, boolean isShared) {
		this.server = server;
		this.isShared = isShared;
	}

	/**
	 * The server shared by every test of this JVM, started on first use and stopped when
	 * the JVM exits. Tests must not stop it: use {@link #startNew()} for that.
	 * @return the shared server
	 */
	public static synchronized TestRedis shared() {
		if (shared == null) {
			shared = create(true);
		}
		return shared;
	}

	/**
	 * A fresh server of its own, for tests that stop, restart or flush it;
	 * {@link #close()} it when done. With {@code REDIS_URL} set, it is that server, which
	 * cannot be stopped.
	 * @return the started server
	 */
	public static TestRedis startNew() {
		return create(false);
	}

	private static TestRedis create(boolean isShared) {
		String url = System.getenv("REDIS_URL");
		if (url != null && !url.isBlank()) {
			return started(ExternalServer.parse(url.trim()), isShared);
		}
		if (isDockerAvailable()) {
			return started(new ContainerServer(freePort()), isShared);
		}
		Path executable = findOnPath("redis-server");
		if (executable != null) {
			return started(new ProcessServer(executable), isShared);
		}
		throw new AssertionError("No Redis server for the tests: " + HOW_TO_GET_REDIS);
	}

	private static TestRedis started(Server server, boolean isShared) {
		TestRedis redis = new TestRedis(server, isShared);
		redis.server.start(redis);
		return redis;
	}

	// Whether a Docker engine answers, asked once per JVM. Bounded by a timeout, and
	// false
	// when Testcontainers is not on the class path or fails in any way.
	private static synchronized boolean isDockerAvailable() {
		if (dockerAvailable == null) {
			dockerAvailable = askDocker();
		}
		return dockerAvailable;
	}

	private static boolean askDocker() {
		try {
			Class.forName("org.testcontainers.DockerClientFactory", false, TestRedis.class.getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
		CompletableFuture<Boolean> answer = new CompletableFuture<>();
		Thread asking = new Thread(() -> {
			try {
				answer.complete(ContainerServer.isDockerAvailable());
			}
			catch (Throwable ex) {
				answer.complete(false);
			}
		}, "test-redis-docker-check");
		asking.setDaemon(true);
		asking.start();
		try {
			return answer.get(DOCKER_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException | TimeoutException ex) {
			return false;
		}
	}

	/**
	 * An executable of the {@code PATH}.
	 * @param name the executable's name
	 * @return its path, {@code null} when there is none
	 */
	static @Nullable Path findOnPath(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				Path candidate = Path.of(directory, name);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		return null;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port", ex);
		}
	}

	/**
	 * Host to connect to.
	 * @return the host
	 */
	public String host() {
		return this.server.host();
	}

	/**
	 * Port to connect to.
	 * @return the port
	 */
	public int port() {
		return this.server.port();
	}

	/**
	 * The server's URL, {@code redis://host:port}, or {@code REDIS_URL} as given.
	 * @return the URL
	 */
	public String url() {
		return this.server.url();
	}

	/**
	 * Spring Boot properties that point an application at this server.
	 * @return {@code spring.data.redis.host}, {@code spring.data.redis.port} and, when
	 * {@code REDIS_URL} has them, {@code spring.data.redis.username} and
	 * {@code spring.data.redis.password}
	 */
	public Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.host", host());
		properties.put("spring.data.redis.port", String.valueOf(port()));
		String username = this.server.username();
		if (username != null) {
			properties.put("spring.data.redis.username", username);
		}
		String password = this.server.password();
		if (password != null) {
			properties.put("spring.data.redis.password", password);
		}
		return Collections.unmodifiableMap(properties);
	}

	/**
	 * Stops the server; {@link #start()} starts it again on the same port.
	 * @throws UnsupportedOperationException for {@code REDIS_URL}
	 * @throws IllegalStateException for the {@link #shared()} server
	 */
	public void stop() {
		checkStoppable("stop");
		this.server.stop();
	}

	/**
	 * Starts the server on the same port, empty: a running server is stopped first.
	 * Returns once it answers {@code PING}.
	 * @throws UnsupportedOperationException for {@code REDIS_URL}
	 * @throws IllegalStateException for the {@link #shared()} server
	 */
	public void start() {
		checkStoppable("start");
		if (this.server.isRunning()) {
			this.server.stop();
		}
		this.server.start(this);
	}

	private void checkStoppable(String operation) {
		if (this.server instanceof ExternalServer) {
			throw new UnsupportedOperationException(
					"Cannot " + operation + " the " + this.server + " from the tests: " + OWN_SERVER_HINT);
		}
		if (this.isShared) {
			throw new IllegalStateException("Cannot " + operation + " the Redis server shared by all tests of the JVM: "
					+ "use TestRedis.startNew() for a server of the test's own");
		}
	}

	/**
	 * Calls of a command since the server started or {@link #resetStats()}, read from
	 * {@code INFO commandstats}.
	 * @param command the command's name, case-insensitive; a subcommand as
	 * {@code config|set}
	 * @return the number of calls, {@code 0} when it was never called
	 */
	public long commandCalls(String command) {
		return commandCalls(call("INFO", "commandstats"), command);
	}

	/**
	 * Calls of a command in the text of {@code INFO commandstats}.
	 * @param commandstats the text
	 * @param command the command's name, case-insensitive
	 * @return the number of calls, {@code 0} when it was never called
	 */
	static long commandCalls(String commandstats, String command) {
		String key = "cmdstat_" + command.toLowerCase(Locale.ROOT) + ":";
		return commandstats.lines()
			.filter((line) -> line.startsWith(key))
			.map(CALLS::matcher)
			.filter(Matcher::find)
			.mapToLong((calls) -> Long.parseLong(calls.group(1)))
			.findFirst()
			.orElse(0);
	}

	/**
	 * Resets the server's stats ({@code CONFIG RESETSTAT}), such as the command calls.
	 */
	public void resetStats() {
		call("CONFIG", "RESETSTAT");
	}

	/**
	 * Deletes every key of every database ({@code FLUSHALL}).
	 * @throws UnsupportedOperationException for {@code REDIS_URL}
	 */
	public void flushAll() {
		if (this.server instanceof ExternalServer) {
			throw new UnsupportedOperationException("Will not FLUSHALL the " + this.server + ": " + OWN_SERVER_HINT);
		}
		call("FLUSHALL");
	}

	/**
	 * Sends one command on a connection of its own and renders the reply for assertions
	 * and messages: strings as they are, integers in decimal, {@code (nil)} for a null,
	 * {@code (error) ...} for an error, arrays as {@code [a, b]}.
	 * @param args the command and its arguments, as in {@code command("HGETALL", "key")}
	 * @return the rendered reply
	 */
	public String command(String... args) {
		if (args.length == 0) {
			throw new IllegalArgumentException("No command");
		}
		return render(send(args));
	}

	/**
	 * Stops a server of {@link #startNew()} for good; does nothing for the
	 * {@link #shared()} one, which stops with the JVM, nor for {@code REDIS_URL}.
	 */
	@Override
	public void close() {
		if (!this.isShared) {
			this.server.close();
		}
	}

	@Override
	public String toString() {
		return this.server.toString();
	}

	private String call(String... args) {
		Object reply = send(args);
		if (reply instanceof RedisError error) {
			throw new AssertionError(String.join(" ", args) + " failed on " + this + ": " + error.message());
		}
		return render(reply);
	}

	private @Nullable Object send(String... args) {
		try {
			return exchange(args);
		}
		catch (IOException ex) {
			throw new AssertionError("No reply to " + args[0] + " from " + this + ": " + ex + this.server.diagnostics(),
					ex);
		}
	}

	private @Nullable Object exchange(String... args) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host(), port()), CONNECT_TIMEOUT_MILLIS);
			socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
			OutputStream out = new BufferedOutputStream(socket.getOutputStream());
			InputStream in = new BufferedInputStream(socket.getInputStream());
			String password = this.server.password();
			if (password != null) {
				String username = this.server.username();
				write(out, (username != null) ? new String[] { "AUTH", username, password }
						: new String[] { "AUTH", password });
				if (read(in) instanceof RedisError error) {
					throw new AssertionError("AUTH failed on " + this + ": " + error.message());
				}
			}
			write(out, args);
			return read(in);
		}
	}

	/**
	 * Sends one command to a server of the tests on a connection of its own, without
	 * authentication, for the harnesses of this package that run several servers.
	 * @param port the loopback port of the server
	 * @param args the command and its arguments
	 * @return the reply: a string, a {@code Long}, a list, {@code null}, or the rendered
	 * error as {@code (error) ...}
	 * @throws IOException when the server does not answer
	 */
	static @Nullable Object exchange(int port, String... args) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
			socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
			OutputStream out = new BufferedOutputStream(socket.getOutputStream());
			InputStream in = new BufferedInputStream(socket.getInputStream());
			write(out, args);
			Object reply = read(in);
			return (reply instanceof RedisError) ? render(reply) : reply;
		}
	}

	/**
	 * Renders a reply of {@link #exchange(int, String...)} for messages.
	 * @param reply the reply
	 * @return the text
	 */
	static String rendered(@Nullable Object reply) {
		return render(reply);
	}

	/**
	 * A free port of the loopback interface.
	 * @return the port
	 */
	static int freeLoopbackPort() {
		return freePort();
	}

	private static void write(OutputStream out, String[] args) throws IOException {
		out.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
		for (String arg : args) {
			byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
			out.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(bytes);
			out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		out.flush();
	}

	private static @Nullable Object read(InputStream in) throws IOException {
		int type = in.read();
		if (type == -1) {
			throw new EOFException("Connection closed before a reply");
		}
		String line = readLine(in);
		switch (type) {
			case '+':
				return line;
			case '-':
				return new RedisError(line);
			case ':':
				return Long.parseLong(line);
			case '$':
				return readBulk(in, Integer.parseInt(line));
			case '*':
				return readArray(in, Integer.parseInt(line));
			default:
				throw new IOException("Not a RESP2 reply: " + (char) type + line);
		}
	}

	private static @Nullable String readBulk(InputStream in, int length) throws IOException {
		if (length < 0) {
			return null;
		}
		byte[] bytes = in.readNBytes(length);
		if (bytes.length < length || in.read() != '\r' || in.read() != '\n') {
			throw new EOFException("Truncated reply");
		}
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static @Nullable List<@Nullable Object> readArray(InputStream in, int count) throws IOException {
		if (count < 0) {
			return null;
		}
		List<@Nullable Object> elements = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			elements.add(read(in));
		}
		return elements;
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != '\r') {
			if (b == -1) {
				throw new EOFException("Truncated reply");
			}
			line.write(b);
		}
		if (in.read() != '\n') {
			throw new IOException("Malformed reply: CR without LF");
		}
		return line.toString(StandardCharsets.UTF_8);
	}

	private static String render(@Nullable Object reply) {
		if (reply == null) {
			return "(nil)";
		}
		if (reply instanceof RedisError error) {
			return "(error) " + error.message();
		}
		if (reply instanceof List<?> elements) {
			List<String> rendered = new ArrayList<>();
			elements.forEach((element) -> rendered.add(render(element)));
			return rendered.toString();
		}
		return reply.toString();
	}

	/**
	 * Waits until the server answers {@code PING}, trying again with a short backoff
	 * until the deadline: a server that is starting refuses connections for a while.
	 */
	private void awaitPong() {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		long backoff = TimeUnit.MILLISECONDS.toNanos(10);
		Exception last = null;
		while (true) {
			try {
				Object reply = exchange("PING");
				if ("PONG".equals(reply)) {
					return;
				}
				if (reply instanceof RedisError error && !error.message().startsWith("LOADING")) {
					throw new AssertionError(this + " answered PING with " + error.message());
				}
				last = new IOException("PING answered " + render(reply));
			}
			catch (IOException ex) {
				last = ex;
			}
			this.server.checkAlive();
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new AssertionError(this + " did not answer PING within " + STARTUP_TIMEOUT + ": " + last
						+ this.server.diagnostics(), last);
			}
			LockSupport.parkNanos(Math.min(backoff, left));
			backoff = Math.min(backoff * 2, TimeUnit.MILLISECONDS.toNanos(200));
		}
	}

	private long processId() {
		return call("INFO", "server").lines()
			.filter((line) -> line.startsWith("process_id:"))
			.mapToLong((line) -> Long.parseLong(line.substring("process_id:".length()).trim()))
			.findFirst()
			.orElse(-1);
	}

	/**
	 * A way to run a Redis server.
	 */
	private interface Server {

		String host();

		int port();

		String url();

		default @Nullable String username() {
			return null;
		}

		default @Nullable String password() {
			return null;
		}

		boolean isRunning();

		/**
		 * Starts the server and returns once it answers.
		 * @param redis the client to check it with
		 */
		void start(TestRedis redis);

		void stop();

		/**
		 * Throws when a server that should be starting has died.
		 */
		default void checkAlive() {
		}

		/**
		 * What may explain a failure, as the end of a message.
		 * @return the text, empty when there is nothing to add
		 */
		default String diagnostics() {
			return "";
		}

		void close();

	}

	/**
	 * The server of {@code REDIS_URL}.
	 */
	private static final class ExternalServer implements Server {

		private final String url;

		private final String host;

		private final int port;

		private final @Nullable String username;

		private final @Nullable String password;

		private ExternalServer(String url, String host, int port, @Nullable String username,
				@Nullable String password) {
			this.url = url;
			this.host = host;
			this.port = port;
			this.username = username;
			this.password = password;
		}

		static ExternalServer parse(String url) {
			URI uri;
			try {
				uri = URI.create(url);
			}
			catch (IllegalArgumentException ex) {
				throw invalid(url);
			}
			String path = uri.getRawPath();
			if (!"redis".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() == -1
					|| (path != null && !path.isEmpty() && !"/".equals(path)) || uri.getRawQuery() != null) {
				throw invalid(url);
			}
			String username = null;
			String password = null;
			String userInfo = uri.getUserInfo();
			if (userInfo != null) {
				int colon = userInfo.indexOf(':');
				username = (colon > 0) ? userInfo.substring(0, colon) : null;
				password = userInfo.substring(colon + 1);
			}
			return new ExternalServer(url, uri.getHost(), uri.getPort(), username, password);
		}

		private static AssertionError invalid(String url) {
			return new AssertionError(
					"REDIS_URL must be redis://[[user:]password@]host:port (no database, no TLS), got "
							+ url.replaceAll("//[^@/]*@", "//***@"));
		}

		@Override
		public String host() {
			return this.host;
		}

		@Override
		public int port() {
			return this.port;
		}

		@Override
		public String url() {
			return this.url;
		}

		@Override
		public @Nullable String username() {
			return this.username;
		}

		@Override
		public @Nullable String password() {
			return this.password;
		}

		@Override
		public boolean isRunning() {
			return true;
		}

		@Override
		public void start(TestRedis redis) {
			redis.awaitPong();
		}

		@Override
		public void stop() {
			throw new UnsupportedOperationException(OWN_SERVER_HINT);
		}

		@Override
		public void close() {
		}

		@Override
		public String toString() {
			return "Redis server of REDIS_URL at " + this.host + ":" + this.port;
		}

	}

	/**
	 * A {@code redis-server} process that the tests start on a free loopback port.
	 */
	private static final class ProcessServer implements Server {

		private static final String HOST = "127.0.0.1";

		private static final int PORT_ATTEMPTS = 3;

		private final Path executable;

		private final Path directory;

		private final Path log;

		private volatile int port;

		private volatile @Nullable Process process;

		private volatile boolean closed;

		ProcessServer(Path executable) {
			this.executable = executable;
			try {
				this.directory = Files.createTempDirectory("switchboard-redis-");
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot create a directory for redis-server", ex);
			}
			this.log = this.directory.resolve("redis.log");
			Runtime.getRuntime().addShutdownHook(new Thread(this::close, "test-redis-shutdown"));
		}

		@Override
		public String host() {
			return HOST;
		}

		@Override
		public int port() {
			return this.port;
		}

		@Override
		public String url() {
			return "redis://" + HOST + ":" + this.port;
		}

		@Override
		public boolean isRunning() {
			Process process = this.process;
			return process != null && process.isAlive();
		}

		/**
		 * Starts on a free port the first time, on the same port afterwards. Another
		 * process may take a port between the moment it is found free and the moment
		 * redis-server binds it: the first start then tries another one.
		 */
		@Override
		public synchronized void start(TestRedis redis) {
			if (this.closed) {
				throw new IllegalStateException(this + " is closed");
			}
			boolean firstStart = this.port == 0;
			for (int attempt = 1;; attempt++) {
				if (firstStart) {
					this.port = freePort();
				}
				Process process = launch();
				try {
					redis.awaitPong();
					long answering = redis.processId();
					if (answering != process.pid()) {
						throw new AssertionError("Port " + this.port + " is answered by another Redis (pid " + answering
								+ "), not by the redis-server started for the tests (pid " + process.pid() + ")"
								+ diagnostics());
					}
					return;
				}
				catch (AssertionError ex) {
					stop();
					if (!firstStart || attempt == PORT_ATTEMPTS || !portTaken()) {
						throw ex;
					}
				}
			}
		}

		private Process launch() {
			List<String> command = List.of(this.executable.toString(), "--port", String.valueOf(this.port), "--bind",
					HOST, "--protected-mode", "no", "--save", "", "--appendonly", "no", "--dir",
					this.directory.toString());
			try {
				Files.deleteIfExists(this.log);
				Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(this.log.toFile())
					.start();
				this.process = process;
				return process;
			}
			catch (IOException ex) {
				throw new AssertionError("Cannot start " + String.join(" ", command) + ": " + ex, ex);
			}
		}

		private boolean portTaken() {
			return readLog().contains("Address already in use");
		}

		@Override
		public void checkAlive() {
			Process process = this.process;
			if (process != null && !process.isAlive()) {
				throw new AssertionError("redis-server exited with code " + process.exitValue() + " on port "
						+ this.port + diagnostics());
			}
		}

		@Override
		public String diagnostics() {
			String log = readLog().strip();
			if (log.isEmpty()) {
				return "";
			}
			List<String> lines = log.lines().toList();
			return "\nredis-server's log ends with:\n"
					+ String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}

		private String readLog() {
			try {
				return Files.exists(this.log) ? Files.readString(this.log) : "";
			}
			catch (IOException ex) {
				return "";
			}
		}

		/**
		 * Stops with SIGTERM, which redis-server honours at once as it has nothing to
		 * save, and with SIGKILL if it does not exit in time.
		 */
		@Override
		public synchronized void stop() {
			Process process = this.process;
			if (process != null) {
				RedisProcess.terminate(process);
			}
			this.process = null;
		}

		@Override
		public void close() {
			this.closed = true;
			stop();
			RedisProcess.deleteRecursively(this.directory);
		}

		@Override
		public String toString() {
			return "redis-server at " + HOST + ":" + this.port;
		}

	}

	/**
	 * A {@code redis:7.0} container, only loaded when a Docker engine runs, so that the
	 * harness works without Testcontainers on the class path.
	 */
	private static final class ContainerServer implements Server {

		private final int port;

		private final RedisContainer container;

		ContainerServer(int port) {
			this.port = port;
			this.container = new RedisContainer(port);
		}

		static boolean isDockerAvailable() {
			return DockerClientFactory.instance().isDockerAvailable();
		}

		@Override
		public String host() {
			return this.container.getHost();
		}

		@Override
		public int port() {
			return this.port;
		}

		@Override
		public String url() {
			return "redis://" + host() + ":" + this.port;
		}

		@Override
		public boolean isRunning() {
			return this.container.isRunning();
		}

		@Override
		public synchronized void start(TestRedis redis) {
			try {
				this.container.start();
			}
			catch (RuntimeException ex) {
				throw new AssertionError("Cannot start a redis:7.0 container on host port " + this.port + ": " + ex,
						ex);
			}
			redis.awaitPong();
		}

		/**
		 * Stops and removes the container; starting again creates a new one on the same
		 * host port.
		 */
		@Override
		public synchronized void stop() {
			this.container.stop();
		}

		@Override
		public void close() {
			stop();
		}

		@Override
		public String diagnostics() {
			try {
				String logs = this.container.getLogs();
				return logs.isBlank() ? "" : "\nThe container's log:\n" + logs.strip();
			}
			catch (RuntimeException ex) {
				return "";
			}
		}

		@Override
		public String toString() {
			return "redis:7.0 container on port " + this.port;
		}

	}

	/**
	 * A container bound to a fixed host port, which it keeps when it is started again.
	 */
	private static final class RedisContainer extends GenericContainer<RedisContainer> {

		RedisContainer(int hostPort) {
			super(DockerImageName.parse("redis:7.0"));
			addFixedExposedPort(hostPort, 6379);
			withCommand("redis-server", "--save", "", "--appendonly", "no", "--protected-mode", "no");
			waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
		}

	}

	/**
	 * An error reply.
	 *
	 * @param message the error's message, as {@code ERR unknown command}
	 */
	private record RedisError(String message) {

	}

}
