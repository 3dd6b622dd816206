package dev.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A server measured: its JVM, its port and how to reach its sockets.
 */
final class Server implements AutoCloseable {

	/**
	 * Micrometer off: the servers compare without metrics; the {@code metrics} scenario
	 * measures what they cost.
	 */
	static final String NO_METRICS = "--spring.autoconfigure.exclude="
			+ "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration,"
			+ "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration,"
			+ "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration";

	private static final Duration STARTUP = Duration.ofSeconds(90);

	private static final Duration IDLE_SAMPLE = Duration.ofMillis(300);

	private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

	private static final HttpClient http = HttpClient.newHttpClient();

	private final String name;

	private final Jvm jvm;

	private final int port;

	private Server(String name, Jvm jvm, int port) {
		this.name = name;
		this.jvm = jvm;
		this.port = port;
	}

	static Server raw(Context context) {
		return start("raw", context.classPath(), "dev.switchboard.bench.server.RawServer", List.of());
	}

	static Server webflux(Context context) {
		return start("webflux", context.classPath(), "dev.switchboard.bench.server.WebFluxServer",
				List.of("--server.port=0", "--spring.main.banner-mode=off", NO_METRICS));
	}

	/**
	 * A Switchboard application.
	 * @param context the run's context
	 * @param name its name in the results
	 * @param properties its properties besides the common ones, as {@code --name=value}
	 * @return the server
	 */
	static Server switchboard(Context context, String name, List<String> properties) {
		return switchboard(context.classPath(), name, properties);
	}

	/**
	 * A Switchboard application of a baseline build, to compare with side by side.
	 * @param context the run's context
	 * @param name its name in the results
	 * @return the server
	 */
	static Server baseline(Context context, String name) {
		return switchboard(context.baselineClassPath(), name, List.of());
	}

	/**
	 * A Switchboard application on another Java installation.
	 * @param context the run's context
	 * @param name its name in the results
	 * @param javaHome the Java installation
	 * @param properties its properties besides the common ones
	 * @return the server
	 */
	static Server switchboard(Context context, String name, Path javaHome, List<String> properties) {
		return start(name, javaHome, context.classPath(), "dev.switchboard.bench.server.SwitchboardBenchApp",
				switchboardArgs(properties));
	}

	private static Server switchboard(String classPath, String name, List<String> properties) {
		return start(name, classPath, "dev.switchboard.bench.server.SwitchboardBenchApp", switchboardArgs(properties));
	}

	private static List<String> switchboardArgs(List<String> properties) {
		List<String> args = new ArrayList<>();
		for (String common : List.of("--server.port=0", "--spring.main.banner-mode=off",
				"--switchboard.limits.messages-per-second=0", "--switchboard.limits.connections-per-user=0",
				"--switchboard.limits.connections-per-instance=30000", "--logging.level.root=WARN",
				"--logging.level.org.springframework.boot.reactor.netty=INFO", "--switchboard.registry=memory",
				NO_METRICS)) {
			String key = common.substring(0, common.indexOf('='));
			boolean overridden = properties.stream().anyMatch((property) -> property.startsWith(key + "="))
					|| (common == NO_METRICS && properties.contains("--metrics"));
			if (!overridden) {
				args.add(common);
			}
		}
		properties.stream().filter((property) -> !property.equals("--metrics")).forEach(args::add);
		return args;
	}

	static Server stomp(Context context) {
		return start("stomp", context.stompClassPath(), "dev.switchboard.bench.stomp.StompServer",
				List.of("--server.port=0", "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
	}

	private static Server start(String name, String classPath, String main, List<String> args) {
		return start(name, Path.of(System.getProperty("java.home")), classPath, main, args);
	}

	private static Server start(String name, Path javaHome, String classPath, String main, List<String> args) {
		Jvm jvm = Jvm.start(name, javaHome, Jvm.SERVER_FLAGS, classPath, main, args);
		try {
			int port = Integer.parseInt(jvm.await("READY ", STARTUP).substring("READY ".length()).trim());
			return new Server(name, jvm, port);
		}
		catch (RuntimeException ex) {
			jvm.close();
			throw ex;
		}
	}

	String name() {
		return this.name;
	}

	int port() {
		return this.port;
	}

	String url(String path) {
		return "ws://127.0.0.1:" + this.port + path;
	}

	double cpuSeconds() {
		return this.jvm.cpuSeconds();
	}

	/**
	 * Waits until the server has done with earlier work, such as what an earlier run's
	 * client left in its socket buffers: until it uses less than a tenth of a core.
	 */
	void awaitIdle() {
		long deadline = System.nanoTime() + IDLE_TIMEOUT.toNanos();
		double before = cpuSeconds();
		while (System.nanoTime() < deadline) {
			try {
				Thread.sleep(IDLE_SAMPLE.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			double after = cpuSeconds();
			if ((after - before) / IDLE_SAMPLE.toMillis() * 1000 < 0.1) {
				return;
			}
			before = after;
		}
		Context.log(this.name + " was still busy after " + IDLE_TIMEOUT.toSeconds() + " s");
	}

	/**
	 * The server's heap after full GCs, and its resident memory.
	 * @return {@code {heap, rss}} in bytes
	 */
	long[] memory() {
		try {
			String answer = http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/bench/memory"))
					.timeout(Duration.ofSeconds(60))
					.build(), HttpResponse.BodyHandlers.ofString())
				.body();
			long heap = 0;
			long rss = 0;
			for (String part : answer.trim().split(" ")) {
				if (part.startsWith("heap=")) {
					heap = Long.parseLong(part.substring(5));
				}
				else if (part.startsWith("rss=")) {
					rss = Long.parseLong(part.substring(4));
				}
			}
			return new long[] { heap, rss };
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read the memory of " + this.name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.jvm.close();
	}

	@Override
	public String toString() {
		return this.name + " on port " + this.port;
	}

}
