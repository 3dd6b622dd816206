package dev.switchboard.test;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Spring Boot application of the test class path running in a JVM of its own, for tests
 * that run several instances or kill one as a crash would.
 * <p>
 * The child JVM is the current one's {@code java} with the current class path, so any
 * {@code @SpringBootApplication} class of the tests can be its main class. It listens on
 * a random port ({@code server.port=0}), found from the line that Boot logs once the
 * server is up ({@code Netty started on port N}), and is ready once Boot logs that it
 * started, after its lifecycle beans: the main class must leave those INFO lines on. Its
 * output goes to {@code target/app-instances/<main class>-<n>.log} and is kept in memory
 * for assertion messages. Every child still running is killed when the JVM exits
 * normally; one that outlives a JVM killed with SIGKILL is not.
 *
 * @since 0.1.0
 */
public final class AppInstance implements AutoCloseable {

	/**
	 * How long {@link #start(Class, Map)} waits for the application to serve.
	 */
	public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	/**
	 * How long {@link #stop()} waits for a graceful shutdown.
	 */
	public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private static final Pattern LISTENING = Pattern.compile("Netty started on port (\\d+)");

	// Lifecycle beans (the socket server among them) start after the web server: the
	// application is ready when Boot logs that it started.
	private static final Pattern STARTED = Pattern.compile("Started \\S+ in [\\d.]+ seconds");

	private static final Pattern STACK_FRAME = Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ )");

	private static final Path OUTPUT_DIRECTORY = Path.of("target", "app-instances");

	private static final AtomicInteger counter = new AtomicInteger();

	private static final Set<AppInstance> running = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(AppInstance::killAll, "app-instance-shutdown"));
	}

	private final String name;

	private final Process process;

	private final Path outputFile;

	private final StringBuilder output = new StringBuilder();

	private final CompletableFuture<Integer> port = new CompletableFuture<>();

	private volatile int listening;

	private AppInstance(String name, Process process, Path outputFile) {
		this.name = name;
		this.process = process;
		this.outputFile = outputFile;
	}

	/**
	 * Starts an application and waits up to {@link #STARTUP_TIMEOUT} until it serves.
	 * @param mainClass the application's class, with a {@code main} method
	 * @param properties the Spring properties, passed as {@code --name=value} arguments
	 * @return the running instance
	 */
	public static AppInstance start(Class<?> mainClass, Map<String, String> properties) {
		return start(mainClass, properties, STARTUP_TIMEOUT);
	}

	/**
	 * Starts an application and waits until it serves.
	 * @param mainClass the application's class, with a {@code main} method
	 * @param properties the Spring properties, passed as {@code --name=value} arguments;
	 * they win over the default {@code server.port=0}
	 * @param timeout how long to wait for the application to serve
	 * @return the running instance
	 */
	public static AppInstance start(Class<?> mainClass, Map<String, String> properties, Duration timeout) {
		return start(mainClass, properties, timeout, (entry) -> true);
	}

	/**
	 * Starts an application on part of the current class path, such as without the jars
	 * of optional modules, and waits until it serves.
	 * @param mainClass the application's class, with a {@code main} method
	 * @param properties the Spring properties, passed as {@code --name=value} arguments
	 * @param classPath which entries of the current class path the application gets
	 * @return the running instance
	 */
	public static AppInstance start(Class<?> mainClass, Map<String, String> properties, Predicate<Path> classPath) {
		return start(mainClass, properties, STARTUP_TIMEOUT, classPath);
	}

	/**
	 * Starts an application on a class path of its own, such as one with WebFlux for a
	 * test whose own class path lacks it, and waits until it serves.
	 * @param mainClass the fully qualified name of the application's class, with a
	 * {@code main} method
	 * @param properties the Spring properties, passed as {@code --name=value} arguments
	 * @param classPath the application's class path
	 * @return the running instance
	 */
	public static AppInstance start(String mainClass, Map<String, String> properties, List<Path> classPath) {
		return start(mainClass, properties, STARTUP_TIMEOUT,
				classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
	}

	private static AppInstance start(Class<?> mainClass, Map<String, String> properties, Duration timeout,
			Predicate<Path> classPathFilter) {
		String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> classPathFilter.test(Path.of(entry)))
			.collect(Collectors.joining(File.pathSeparator));
		return start(mainClass.getName(), properties, timeout, classPath);
	}

	private static AppInstance start(String mainClass, Map<String, String> properties, Duration timeout,
			String classPath) {
		String name = mainClass.substring(mainClass.lastIndexOf('.') + 1) + "-" + counter.incrementAndGet();
		Path outputFile = OUTPUT_DIRECTORY.resolve(name + ".log").toAbsolutePath();
		List<String> command = command(mainClass, properties, classPath, OUTPUT_DIRECTORY.resolve(name + ".args"));
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot start " + String.join(" ", command) + ": " + ex, ex);
		}
		AppInstance instance = new AppInstance(name, process, outputFile);
		running.add(instance);
		instance.captureOutput();
		instance.awaitPort(timeout);
		return instance;
	}

	// The child's command line: its class path goes in an argument file, which no command
	// line length limit applies to.
	private static List<String> command(String mainClass, Map<String, String> properties, String classPath,
			Path argumentFile) {
		try {
			Files.createDirectories(OUTPUT_DIRECTORY);
			Files.writeString(argumentFile, "-cp \"" + classPath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + argumentFile, ex);
		}
		Map<String, String> arguments = new LinkedHashMap<>();
		arguments.put("server.port", "0");
		arguments.putAll(properties);
		List<String> command = new ArrayList<>();
		command.add(javaExecutable());
		// C1 only: the application starts sooner, which matters more to tests than peak
		// speed
		command.add("-XX:TieredStopAtLevel=1");
		command.add("@" + argumentFile.toAbsolutePath());
		command.add(mainClass);
		arguments.forEach((key, value) -> command.add("--" + key + "=" + value));
		return command;
	}

	private static String javaExecutable() {
		return ProcessHandle.current()
			.info()
			.command()
			.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	private void captureOutput() {
		Thread reader = new Thread(this::readOutput, "app-instance-" + this.name + "-output");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Copies the child's output to the log file and to memory, line by line, and picks
	 * the port up on the way.
	 */
	private void readOutput() {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				BufferedWriter file = Files.newBufferedWriter(this.outputFile, StandardCharsets.UTF_8)) {
			String line;
			while ((line = in.readLine()) != null) {
				synchronized (this.output) {
					this.output.append(line).append('\n');
				}
				file.write(line);
				file.newLine();
				file.flush();
				Matcher listening = LISTENING.matcher(line);
				if (listening.find()) {
					this.listening = Integer.parseInt(listening.group(1));
				}
				if (!this.port.isDone() && this.listening > 0 && STARTED.matcher(line).find()) {
					this.port.complete(this.listening);
				}
			}
		}
		catch (IOException ex) {
			// the process is gone
		}
		finally {
			this.port.completeExceptionally(new IllegalStateException("Output ended"));
		}
	}

	private void awaitPort(Duration timeout) {
		try {
			this.port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			waitForExit(Duration.ofSeconds(5));
			close();
			throw new AssertionError(this.name + " exited" + exitCode() + " before it served" + outputTail(), ex);
		}
		catch (TimeoutException ex) {
			close();
			throw new AssertionError(this.name + " did not log 'Netty started on port N' and 'Started ...' within "
					+ timeout + outputTail(), ex);
		}
		catch (InterruptedException ex) {
			close();
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while " + this.name + " was starting", ex);
		}
	}

	/**
	 * The port the application serves on.
	 * @return the port
	 */
	public int port() {
		return this.port.join();
	}

	/**
	 * An HTTP URI of the application.
	 * @param path the path, starting with {@code /}
	 * @return the URI
	 */
	public URI uri(String path) {
		return URI.create("http://localhost:" + port() + path);
	}

	/**
	 * A WebSocket URI of the application.
	 * @param path the path, starting with {@code /}
	 * @return the URI
	 */
	public URI wsUri(String path) {
		return URI.create("ws://localhost:" + port() + path);
	}

	/**
	 * The child's process id.
	 * @return the pid
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Whether the process still runs.
	 * @return {@code true} until it exits
	 */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Kills the process at once with SIGKILL, as a crash would: no shutdown hook, no
	 * close frame, nothing cleaned up in Redis. Returns once it is gone.
	 */
	public void kill() {
		this.process.destroyForcibly();
		if (!waitForExit(Await.TIMEOUT)) {
			throw new AssertionError(this.name + " (pid " + pid() + ") survived SIGKILL for " + Await.TIMEOUT);
		}
	}

	/**
	 * Stops the process gracefully with SIGTERM, which runs Boot's shutdown, and waits up
	 * to {@link #STOP_TIMEOUT} for it to exit; kills it if it does not.
	 */
	public void stop() {
		this.process.destroy();
		if (!waitForExit(STOP_TIMEOUT)) {
			kill();
			throw new AssertionError(
					this.name + " did not stop within " + STOP_TIMEOUT + " of SIGTERM and was killed" + outputTail());
		}
	}

	/**
	 * Everything the application wrote to stdout and stderr so far.
	 * @return the output
	 */
	public String output() {
		synchronized (this.output) {
			return this.output.toString();
		}
	}

	/**
	 * Kills the process if it still runs.
	 */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
		running.remove(this);
	}

	@Override
	public String toString() {
		return this.name + " (pid " + pid() + ")";
	}

	private boolean waitForExit(Duration timeout) {
		try {
			boolean exited = this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (exited) {
				running.remove(this);
			}
			return exited;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return !this.process.isAlive();
		}
	}

	private String exitCode() {
		return this.process.isAlive() ? "" : " with code " + this.process.exitValue();
	}

	// The end of the output without stack frames, which would otherwise fill it and hide
	// the "Caused by" lines that explain a failed start.
	private String outputTail() {
		List<String> lines = output().lines().filter((line) -> !STACK_FRAME.matcher(line).find()).toList();
		return "; its output (" + this.outputFile + ") ends with, stack frames left out:\n"
				+ String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
	}

	private static void killAll() {
		running.forEach((instance) -> instance.process.destroyForcibly());
	}

}
