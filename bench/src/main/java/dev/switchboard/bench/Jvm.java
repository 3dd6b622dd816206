package dev.switchboard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A JVM of its own, for a server or a load generator: started with the same flags as
 * every other, its output kept in {@code target/bench/logs} and read line by line, its
 * CPU time read from {@code /proc}.
 */
final class Jvm implements AutoCloseable {

	/**
	 * The flags of every server JVM: a fixed heap, so that runs compare.
	 */
	static final List<String> SERVER_FLAGS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");

	private static final Path LOGS = Path.of("target", "bench", "logs");

	private static final long CLOCK_TICKS_PER_SECOND = 100;

	private static int started;

	private final String name;

	private final Process process;

	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

	private Jvm(String name, Process process) {
		this.name = name;
		this.process = process;
	}

	/**
	 * Starts a JVM.
	 * @param name its name, for its log
	 * @param flags the JVM flags
	 * @param classPath its class path
	 * @param main the main class
	 * @param args its arguments
	 * @return the running JVM
	 */
	static Jvm start(String name, List<String> flags, String classPath, String main, List<String> args) {
		return start(name, Path.of(System.getProperty("java.home")), flags, classPath, main, args);
	}

	/**
	 * Starts a JVM of another Java installation.
	 * @param name its name, for its log
	 * @param javaHome the Java installation
	 * @param flags the JVM flags
	 * @param classPath its class path
	 * @param main the main class
	 * @param args its arguments
	 * @return the running JVM
	 */
	static Jvm start(String name, Path javaHome, List<String> flags, String classPath, String main, List<String> args) {
		List<String> command = new ArrayList<>();
		command.add(javaHome.resolve("bin").resolve("java").toString());
		command.addAll(flags);
		command.add("-cp");
		command.add(classPath);
		command.add(main);
		command.addAll(args);
		try {
			Files.createDirectories(LOGS);
			Path log = LOGS.resolve(name + "-" + (++started) + ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			Jvm jvm = new Jvm(name, process);
			Thread reader = new Thread(() -> jvm.read(log), name + "-output");
			reader.setDaemon(true);
			reader.start();
			return jvm;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + command, ex);
		}
	}

	private void read(Path log) {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				var out = Files.newBufferedWriter(log)) {
			String line;
			while ((line = in.readLine()) != null) {
				out.write(line);
				out.newLine();
				out.flush();
				this.lines.add(line);
			}
		}
		catch (IOException ex) {
			// The process is gone.
		}
		finally {
			this.lines.add("EXITED");
		}
	}

	/**
	 * Waits for a line that starts with a prefix.
	 * @param prefix the prefix
	 * @param timeout how long to wait
	 * @return the line
	 */
	String await(String prefix, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			while (true) {
				String line = this.lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				if (line == null || line.equals("EXITED")) {
					throw new IllegalStateException(this.name + " did not print '" + prefix + "' within " + timeout
							+ ((line != null) ? ": it exited" : "") + "; see " + LOGS.toAbsolutePath());
				}
				if (line.startsWith(prefix)) {
					return line;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * CPU time the process has used so far, all its threads together.
	 * @return the time in seconds
	 */
	double cpuSeconds() {
		try {
			String stat = Files.readString(Path.of("/proc", String.valueOf(this.process.pid()), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// utime and stime, the 14th and 15th fields of the whole line.
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			return (double) ticks / CLOCK_TICKS_PER_SECOND;
		}
		catch (IOException ex) {
			return Double.NaN;
		}
	}

	/**
	 * Closes the process's standard input, which an idle load generator waits for.
	 */
	void closeInput() {
		try {
			OutputStream in = this.process.getOutputStream();
			in.close();
		}
		catch (IOException ex) {
			// Gone already.
		}
	}

	boolean waitFor(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Nullable Integer exitValue() {
		return this.process.isAlive() ? null : this.process.exitValue();
	}

	@Override
	public void close() {
		this.process.destroy();
		if (!waitFor(Duration.ofSeconds(10))) {
			this.process.destroyForcibly();
			waitFor(Duration.ofSeconds(10));
		}
	}

	@Override
	public String toString() {
		return this.name + " (pid " + this.process.pid() + ")";
	}

}
