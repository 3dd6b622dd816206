package dev.switchboard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of the run's own, on a free port, without persistence: it never
 * touches a Redis server something else owns.
 */
final class Redis implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path directory;

	private Redis(Process process, int port, Path directory) {
		this.process = process;
		this.port = port;
		this.directory = directory;
	}

	static Redis start() {
		try {
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			Path directory = Files.createTempDirectory("bench-redis");
			Path logs = Files.createDirectories(Path.of("target", "bench", "logs"));
			Process process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
					"--save", "", "--appendonly", "no", "--dir", directory.toString())
				.redirectErrorStream(true)
				.redirectOutput(logs.resolve("redis-" + port + ".log").toFile())
				.start();
			Redis redis = new Redis(process, port, directory);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
			while (!redis.cli("PING").equals("PONG")) {
				if (System.nanoTime() > deadline || !process.isAlive()) {
					redis.close();
					throw new IllegalStateException("redis-server did not start on port " + port);
				}
				Thread.onSpinWait();
			}
			return redis;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start redis-server: is it installed?", ex);
		}
	}

	int port() {
		return this.port;
	}

	/**
	 * Runs {@code redis-cli} against this server.
	 * @param args the command
	 * @return its output, trimmed, or an empty string when it failed
	 */
	String cli(String... args) {
		List<String> command = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(this.port)));
		command.addAll(List.of(args));
		return run(command, Duration.ofSeconds(30));
	}

	/**
	 * The fields of an {@code INFO} section.
	 * @param section the section
	 * @return its fields
	 */
	Map<String, String> info(String section) {
		Map<String, String> fields = new HashMap<>();
		for (String line : cli("INFO", section).split("\n")) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				fields.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
			}
		}
		return fields;
	}

	/**
	 * The number of calls of every command so far, from {@code INFO commandstats}.
	 * @return calls by command, lower case
	 */
	Map<String, Long> commandCalls() {
		Map<String, Long> calls = new HashMap<>();
		info("commandstats").forEach((name, value) -> {
			if (name.startsWith("cmdstat_")) {
				String count = value.substring(value.indexOf("calls=") + 6, value.indexOf(','));
				calls.put(name.substring(8), Long.parseLong(count));
			}
		});
		return calls;
	}

	long usedMemory() {
		return Long.parseLong(info("memory").get("used_memory"));
	}

	/**
	 * The PUBLISH rate {@code redis-benchmark} reaches against this server.
	 * @param clients its connections
	 * @param pipeline commands each sends before it reads a reply
	 * @param requests how many
	 * @return requests per second
	 */
	double publishRate(int clients, int pipeline, int requests) {
		String output = run(List.of("redis-benchmark", "-p", String.valueOf(this.port), "-c", String.valueOf(clients),
				"-P", String.valueOf(pipeline), "-n", String.valueOf(requests), "-q", "PUBLISH", "bench-channel",
				"x".repeat(64)), Duration.ofMinutes(2));
		// "PUBLISH bench-channel xxx: 81234.56 requests per second, p50=0.3 msec"
		for (String line : output.split("[\r\n]")) {
			int at = line.indexOf(" requests per second");
			if (at > 0) {
				String head = line.substring(0, at);
				return Double.parseDouble(head.substring(head.lastIndexOf(' ') + 1));
			}
		}
		throw new IllegalStateException("Unexpected redis-benchmark output: " + output);
	}

	private static String run(List<String> command, Duration timeout) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
			}
			return new String(output, StandardCharsets.UTF_8).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run " + command.get(0) + ": is it installed?", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The properties that point a Switchboard instance at this server.
	 * @return the properties, as {@code --name=value}
	 */
	List<String> properties() {
		return List.of("--switchboard.registry=redis", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + this.port);
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
			try (var files = Files.list(this.directory)) {
				for (Path file : files.toList()) {
					Files.deleteIfExists(file);
				}
			}
			Files.deleteIfExists(this.directory);
		}
		catch (IOException ex) {
			// Left in the temporary folder.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
