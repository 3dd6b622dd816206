package dev.switchboard.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A {@code redis-server} process that a harness of several servers starts on a free
 * loopback port, in a directory of its own where it writes {@code redis.log}; and what
 * those harnesses share to talk to their servers and wait for them.
 */
final class RedisProcess {

	static final String HOST = "127.0.0.1";

	static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final String name;

	private final int port;

	private final Path directory;

	private volatile @Nullable Process process;

	/**
	 * A server to start, on a port found free now, in a directory created for it.
	 * @param name the server's name in messages and of its directory
	 * @param parent the directory that holds the server's own
	 */
	RedisProcess(String name, Path parent) {
		this.name = name;
		this.port = TestRedis.freeLoopbackPort();
		try {
			this.directory = Files.createDirectories(parent.resolve(name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a directory for " + name, ex);
		}
	}

	/**
	 * The {@code redis-server} of the {@code PATH}.
	 * @param forWhat what needs it, for the message when there is none
	 * @return the executable
	 */
	static Path findRedisServer(String forWhat) {
		Path executable = TestRedis.findOnPath("redis-server");
		if (executable == null) {
			throw new AssertionError("No redis-server on the PATH for " + forWhat + ": " + TestRedis.HOW_TO_GET_REDIS);
		}
		return executable;
	}

	/**
	 * A new temporary directory for a set-up of several servers.
	 * @param prefix the directory's name prefix
	 * @return the directory
	 */
	static Path createTempDirectory(String prefix) {
		try {
			return Files.createTempDirectory(prefix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a temporary directory for Redis servers", ex);
		}
	}

	/**
	 * Deletes a directory and everything in it, leaving behind what cannot be deleted.
	 * @param directory the directory
	 */
	static void deleteRecursively(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			// a temporary directory left behind
		}
	}

	int port() {
		return this.port;
	}

	Path directory() {
		return this.directory;
	}

	boolean isRunning() {
		Process process = this.process;
		return process != null && process.isAlive();
	}

	/**
	 * The command line of a data server on this port and in this directory, without
	 * persistence and with diskless replication that starts at once.
	 * @param executable the {@code redis-server} executable
	 * @param extra further arguments
	 * @return the command line
	 */
	List<String> serverCommand(Path executable, List<String> extra) {
		List<String> command = new ArrayList<>(List.of(executable.toString(), "--port", String.valueOf(this.port),
				"--bind", HOST, "--protected-mode", "no", "--save", "", "--appendonly", "no", "--dir",
				this.directory.toString(), "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0"));
		command.addAll(extra);
		return command;
	}

	/**
	 * Starts the server and waits until it answers {@code PING} and is the process
	 * started for it, not another server that took the port.
	 * @param command the command line
	 */
	void start(List<String> command) {
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("redis.log").toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot start " + String.join(" ", command) + ": " + ex, ex);
		}
		awaitUntil(() -> {
			Process process = this.process;
			if (process != null && !process.isAlive()) {
				throw new AssertionError(this + " exited with code " + process.exitValue() + log());
			}
			return "PONG".equals(reply(this.port, "PING"));
		}, STARTUP_TIMEOUT, () -> this + " to answer PING" + log());
		String pid = infoField(info(this.port), "process_id");
		Process process = this.process;
		if (process == null || !pid.equals(String.valueOf(process.pid()))) {
			throw new AssertionError("Port " + this.port + " is answered by another Redis (pid " + pid + ")");
		}
	}

	/**
	 * Kills the server with SIGKILL, as a crash would.
	 */
	void kill() {
		Process process = this.process;
		if (process != null) {
			process.destroyForcibly();
			try {
				process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.process = null;
	}

	/**
	 * Stops the server with SIGTERM, and with SIGKILL if it does not exit in time.
	 */
	void stop() {
		Process process = this.process;
		if (process != null) {
			terminate(process);
		}
		this.process = null;
	}

	/**
	 * Stops a process with SIGTERM, which redis-server honours at once as it has nothing
	 * to save, and with SIGKILL if it does not exit in time.
	 * @param process the process
	 */
	static void terminate(Process process) {
		process.destroy();
		try {
			if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The server's log, as the end of a message.
	 * @return the text, empty when there is none
	 */
	String log() {
		try {
			Path log = this.directory.resolve("redis.log");
			return Files.exists(log) ? "\n" + this.name + "'s log:\n" + Files.readString(log).strip() : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

	@Override
	public String toString() {
		return this.name + " on port " + this.port;
	}

	/**
	 * Sends a command and renders the reply; fails when the server does not answer.
	 * @param port the server's port
	 * @param args the command and its arguments
	 * @return the rendered reply
	 */
	static String command(int port, String... args) {
		try {
			return TestRedis.rendered(TestRedis.exchange(port, args));
		}
		catch (IOException ex) {
			throw new AssertionError("No reply to " + args[0] + " on port " + port + ": " + ex, ex);
		}
	}

	/**
	 * Sends a command.
	 * @param port the server's port
	 * @param args the command and its arguments
	 * @return the reply, or {@code null} when the server does not answer
	 */
	static @Nullable Object reply(int port, String... args) {
		try {
			return TestRedis.exchange(port, args);
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * The server's {@code INFO}.
	 * @param port the server's port
	 * @return the text, empty when the server does not answer
	 */
	static String info(int port) {
		Object reply = reply(port, "INFO");
		return (reply instanceof String text) ? text : "";
	}

	/**
	 * A field of an {@code INFO} text, such as {@code role}.
	 * @param info the text
	 * @param field the field's name
	 * @return the value, empty when the text has no such field
	 */
	static String infoField(String info, String field) {
		String prefix = field + ":";
		return info.lines()
			.filter((line) -> line.startsWith(prefix))
			.map((line) -> line.substring(prefix.length()).trim())
			.findFirst()
			.orElse("");
	}

	/**
	 * Polls a condition until it holds.
	 * @param condition the condition
	 * @param timeout the longest wait
	 * @param what what is awaited, for the message on timeout
	 */
	static void awaitUntil(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Waited " + timeout + " for " + what.get());
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
		}
	}

}
