package dev.switchboard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.switchboard.bench.report.Results;

/**
 * What every scenario of a run shares: the class paths, the rounds and their length, and
 * where results go.
 *
 * @param classPath the class path of the servers and the load generator
 * @param stompClassPath the class path of the STOMP server
 * @param rounds measured rounds of each scenario, after a warm-up round
 * @param seconds length of each measured window
 * @param results where results go
 * @param baselineClassPath the class path of an earlier build of Switchboard to compare
 * with side by side, empty for none
 */
record Context(String classPath, String stompClassPath, int rounds, int seconds, Results results,
		String baselineClassPath) {

	private static int nextAddress;

	/**
	 * The class path of a baseline build: the bench module's {@code target} directory of
	 * another checkout, built with {@code mvn -pl bench -am package}, whose
	 * {@code classpath.txt} lists its dependencies.
	 * @param target the baseline's bench {@code target} directory, empty or {@code none}
	 * for none
	 * @return its class path, empty for none
	 */
	static String baselineClassPath(String target) {
		if (target.isBlank() || target.equals("none")) {
			return "";
		}
		Path directory = Path.of(target);
		try {
			return directory.resolve("classes") + java.io.File.pathSeparator
					+ Files.readString(directory.resolve("classpath.txt")).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The baseline " + directory + " has no class path: build it first", ex);
		}
	}

	/**
	 * A Java installation of version 21 or later, for virtual threads:
	 * {@code bench.java21} when set, else the newest under {@code /usr/lib/jvm}, where
	 * Debian and Temurin's packages install.
	 * @return the installation's home
	 * @throws IllegalStateException when there is none
	 */
	static Path java21() {
		String configured = System.getProperty("bench.java21", "");
		if (!configured.isBlank() && !configured.equals("auto")) {
			return Path.of(configured);
		}
		try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
			return homes.filter((home) -> javaVersion(home) >= 21)
				.max(Comparator.comparingInt(Context::javaVersion))
				.orElseThrow(() -> new IllegalStateException(
						"No Java 21 or later in /usr/lib/jvm: give one with -Dbench.java21=/path/to/java/home"));
		}
		catch (IOException ex) {
			throw new IllegalStateException("No Java 21 or later: give one with -Dbench.java21=/path/to/java/home", ex);
		}
	}

	// The feature version in the installation's release file; 0 for anything else.
	private static int javaVersion(Path home) {
		Path release = home.resolve("release");
		if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin").resolve("java"))) {
			return 0;
		}
		try {
			for (String line : Files.readAllLines(release)) {
				if (line.startsWith("JAVA_VERSION=")) {
					String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
					int end = version.indexOf('.');
					return Integer.parseInt((end < 0) ? version : version.substring(0, end));
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			return 0;
		}
		return 0;
	}

	static String stompClassPath(Path target) {
		try {
			return target.resolve("classes") + java.io.File.pathSeparator
					+ Files.readString(target.resolve("classpath.txt")).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Build bench-stomp first: " + target + " has no class path", ex);
		}
	}

	/**
	 * A loopback address no earlier load generator bound to, so that ports in TIME_WAIT
	 * after a run never run out: each source address has a port range of its own.
	 * @return an address in 127.0.0.0/8
	 */
	static synchronized String nextLocalAddress() {
		nextAddress++;
		return "127.0." + (1 + nextAddress / 250) + "." + (1 + nextAddress % 250);
	}

	static void log(String message) {
		System.out.println("[bench] " + message);
		System.out.flush();
	}

}
