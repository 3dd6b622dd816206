package dev.switchboard.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.LoopResources;

/**
 * The load generator, a JVM of its own. Its mode, and {@code key=value} arguments, say
 * what it does:
 * <ul>
 * <li>{@code echo}: {@code connections} connections to {@code url} each send a message of
 * {@code size} bytes and wait for its echo before the next (closed loop), or, with
 * {@code rate} messages per second in all, send on a fixed schedule whatever the echoes
 * (open loop), the latency counted from the time a message was due;
 * {@code protocol=stomp} speaks STOMP.</li>
 * <li>{@code fanout}: {@code subscribers} connections to {@code url}; one connection to
 * {@code publish} sends {@code rate} messages a second, each of which reaches every
 * subscriber: the latency is the time until the last one has it. With {@code hello=true}
 * the publisher starts once every subscriber has had the server's
 * {@code {"hello":id}}.</li>
 * <li>{@code directed}: {@code receivers} connections to {@code url}, with
 * {@code hello=true} each waiting for its hello; one connection to {@code publish} (where
 * {@code {id}} stands for the first receiver's connection id) sends {@code rate} messages
 * a second, which reach the receivers; each receiver counts the messages that came out of
 * order.</li>
 * <li>{@code idle}: {@code connections} connections to {@code url} from {@code local},
 * held until standard input closes; {@code READY} once all are open (with
 * {@code hello=true}, once each has had its hello).</li>
 * </ul>
 * In a URL, {@code {i}} stands for the connection's number, and {@code {r}} for it modulo
 * {@code rooms}. It writes {@code MEASURE_START} and {@code MEASURE_END} around the
 * measured window, after {@code warmup} seconds, and the result as
 * {@code RESULT key=value ...}, latencies in microseconds.
 */
public final class LoadClient {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

	private static final WebsocketClientSpec SPEC = WebsocketClientSpec.builder()
		.maxFramePayloadLength(1 << 20)
		.build();

	private final Map<String, String> options;

	private final HttpClient client;

	private final Recorder latencies = new Recorder(3);

	private final AtomicLong received = new AtomicLong();

	private volatile boolean measuring;

	private LoadClient(Map<String, String> options) {
		this.options = options;
		String local = options.get("local");
		HttpClient client = HttpClient.newConnection().runOn(LoopResources.create("load", integer("threads", 2), true));
		if (local != null) {
			client = client.bindAddress(() -> new InetSocketAddress(local, 0));
		}
		this.client = client;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new ConcurrentHashMap<>();
		for (String arg : args) {
			int equals = arg.indexOf('=');
			options.put(arg.substring(0, equals), arg.substring(equals + 1));
		}
		LoadClient load = new LoadClient(options);
		switch (options.get("mode")) {
			case "echo" -> load.echo();
			case "fanout" -> load.fanout();
			case "directed" -> load.directed();
			case "idle" -> load.idle();
			default -> throw new IllegalArgumentException("Unknown mode " + options.get("mode"));
		}
		System.exit(0);
	}

	private void echo() throws InterruptedException {
		int connections = integer("connections", 16);
		int size = integer("size", 64);
		double rate = number("rate", 0);
		boolean stomp = "stomp".equals(this.options.get("protocol"));
		List<Peer> peers = connect(this.options.get("url"), connections, stomp, null);
		if (rate > 0) {
			long periodNanos = (long) (TimeUnit.SECONDS.toNanos(1) * connections / rate);
			for (int i = 0; i < peers.size(); i++) {
				Peer peer = peers.get(i);
				long start = System.nanoTime() + periodNanos * i / connections;
				AtomicLong due = new AtomicLong(start);
				Flux.interval(Duration.ofNanos(periodNanos / 2), Duration.ofNanos(periodNanos), Schedulers.single())
					.subscribe((tick) -> {
						// Every message due by now goes, each timed from when it was due.
						long now = System.nanoTime();
						while (due.get() <= now) {
							peer.send(Messages.echo(size, due.getAndAdd(periodNanos), stomp));
						}
					});
			}
		}
		else {
			peers.forEach((peer) -> peer.onReply(() -> peer.send(Messages.echo(size, System.nanoTime(), stomp))));
			peers.forEach((peer) -> peer.send(Messages.echo(size, System.nanoTime(), stomp)));
		}
		measure();
	}

	private void fanout() throws InterruptedException {
		int subscribers = integer("subscribers", 1000);
		Map<Long, int[]> arrivals = new ConcurrentHashMap<>();
		Map<Long, Long> slowest = new ConcurrentHashMap<>();
		Recorder lastReceipts = new Recorder(3);
		List<Peer> peers = connect(this.options.get("url"), subscribers, false, (t, seq) -> {
			long latency = System.nanoTime() - t;
			slowest.merge(seq, latency, Math::max);
			int[] count = arrivals.computeIfAbsent(seq, (key) -> new int[1]);
			int arrived;
			synchronized (count) {
				arrived = ++count[0];
			}
			if (arrived == subscribers) {
				arrivals.remove(seq);
				Long last = slowest.remove(seq);
				if (this.measuring && last != null) {
					lastReceipts.recordValue(TimeUnit.NANOSECONDS.toMicros(last));
				}
			}
		});
		if (Boolean.parseBoolean(this.options.get("hello"))) {
			// Registered where the server says so: none misses the first message.
			for (Peer peer : peers) {
				peer.awaitHello();
			}
		}
		Peer publisher = connect(this.options.get("publish"), 1, false, null).get(0);
		publishAtRate(publisher, number("rate", 10));
		Histogram histogram = measure(lastReceipts);
		System.out.println("RESULT " + result(histogram, histogram.getTotalCount()) + " incomplete=" + arrivals.size());
	}

	private void directed() throws InterruptedException {
		int receivers = integer("receivers", 10);
		List<Peer> peers = connect(this.options.get("url"), receivers, false, null);
		String publish = this.options.get("publish");
		if (Boolean.parseBoolean(this.options.get("hello"))) {
			for (Peer peer : peers) {
				peer.awaitHello();
			}
			publish = publish.replace("{id}", peers.get(0).awaitHello());
		}
		Peer publisher = connect(publish, 1, false, null).get(0);
		publishAtRate(publisher, number("rate", 1000));
		Histogram histogram = measure(this.latencies);
		long reordered = peers.stream().mapToLong((peer) -> peer.reordered).sum();
		System.out.println("RESULT " + result(histogram, histogram.getTotalCount()) + " receivers=" + receivers
				+ " reordered=" + reordered + " sent=" + this.options.get("sentInWindow") + " sentTotal="
				+ this.sent.get() + " receivedTotal=" + this.received.get());
	}

	private void idle() throws InterruptedException, IOException {
		List<Peer> peers = connect(this.options.get("url"), integer("connections", 1000), false, null);
		if (Boolean.parseBoolean(this.options.get("hello"))) {
			for (Peer peer : peers) {
				peer.awaitHello();
			}
		}
		System.out.println("READY");
		System.out.flush();
		InputStream in = System.in;
		while (in.read() != -1) {
			// Held until the runner closes standard input.
		}
	}

	private final AtomicLong sent = new AtomicLong();

	private void publishAtRate(Peer publisher, double rate) {
		int size = integer("size", 64);
		long periodNanos = (long) (TimeUnit.SECONDS.toNanos(1) / rate);
		AtomicLong due = new AtomicLong(System.nanoTime());
		AtomicLong sequence = new AtomicLong(Messages.FIRST_SEQUENCE);
		long tickNanos = Math.max(periodNanos, TimeUnit.MILLISECONDS.toNanos(1));
		Flux.interval(Duration.ofNanos(tickNanos), Schedulers.single()).subscribe((tick) -> {
			long now = System.nanoTime();
			while (due.get() <= now) {
				publisher.send(Messages.published(size, sequence.getAndIncrement(), due.getAndAdd(periodNanos)));
				this.sent.incrementAndGet();
			}
		});
	}

	private void measure() throws InterruptedException {
		Histogram histogram = measure(this.latencies);
		System.out.println("RESULT " + result(histogram, histogram.getTotalCount()));
	}

	private Histogram measure(Recorder recorder) throws InterruptedException {
		Thread.sleep(TimeUnit.SECONDS.toMillis(integer("warmup", 2)));
		recorder.reset();
		long receivedAtStart = this.received.get();
		long sentAtStart = this.sent.get();
		this.measuring = true;
		System.out.println("MEASURE_START");
		System.out.flush();
		long start = System.nanoTime();
		Thread.sleep(TimeUnit.SECONDS.toMillis(integer("seconds", 4)));
		this.measuring = false;
		long elapsed = System.nanoTime() - start;
		System.out.println("MEASURE_END");
		System.out.flush();
		Histogram histogram = recorder.getIntervalHistogram();
		this.options.put("elapsedNanos", String.valueOf(elapsed));
		this.options.put("receivedInWindow", String.valueOf(this.received.get() - receivedAtStart));
		this.options.put("sentInWindow", String.valueOf(this.sent.get() - sentAtStart));
		return histogram;
	}

	private String result(Histogram histogram, long messages) {
		double seconds = Long.parseLong(this.options.get("elapsedNanos")) / 1e9;
		return String.format(Locale.ROOT,
				"messages=%d seconds=%.3f throughput=%.1f deliveries=%s p50=%d p90=%d p99=%d p999=%d max=%d", messages,
				seconds, messages / seconds, this.options.get("receivedInWindow"), histogram.getValueAtPercentile(50),
				histogram.getValueAtPercentile(90), histogram.getValueAtPercentile(99),
				histogram.getValueAtPercentile(99.9), histogram.getMaxValue());
	}

	// Connects at most 256 at a time: the server's accept queue is not flooded. In the
	// URL,
	// {i} stands for the connection's number, {r} for it modulo the number of rooms.
	private List<Peer> connect(String url, int count, boolean stomp, @Nullable Receipt onEvery)
			throws InterruptedException {
		List<Peer> peers = Collections.synchronizedList(new ArrayList<>());
		CountDownLatch connected = new CountDownLatch(count);
		AtomicInteger failures = new AtomicInteger();
		Flux.range(0, count).flatMap((i) -> {
			Peer peer = new Peer(stomp, onEvery);
			Sinks.Empty<Void> open = Sinks.empty();
			this.client.websocket(SPEC)
				.uri(url.replace("{r}", String.valueOf(i % integer("rooms", 100))).replace("{i}", String.valueOf(i)))
				.handle((in, out) -> {
					peers.add(peer);
					open.tryEmitEmpty();
					connected.countDown();
					Mono<Void> sending = out.sendString(peer.outbound(), StandardCharsets.UTF_8).then();
					Mono<Void> receiving = in.receive().doOnNext(peer::received).then();
					return Mono.when(sending, receiving);
				})
				.subscribe(null, (ex) -> {
					if (open.tryEmitError(ex).isSuccess()) {
						failures.incrementAndGet();
						connected.countDown();
					}
				});
			return open.asMono().onErrorResume((ex) -> Mono.empty());
		}, 256).blockLast(CONNECT_TIMEOUT);
		if (!connected.await(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || failures.get() > 0) {
			throw new IllegalStateException(failures.get() + " of " + count + " connections to " + url + " failed");
		}
		if (stomp) {
			for (Peer peer : peers) {
				peer.startStomp();
			}
			for (Peer peer : peers) {
				peer.awaitStompEcho();
			}
		}
		return new ArrayList<>(peers);
	}

	private int integer(String name, int fallback) {
		String value = this.options.get(name);
		return (value != null) ? Integer.parseInt(value) : fallback;
	}

	private double number(String name, double fallback) {
		String value = this.options.get(name);
		return (value != null) ? Double.parseDouble(value) : fallback;
	}

	/**
	 * What a subscriber does with each measured message it receives.
	 */
	@FunctionalInterface
	private interface Receipt {

		void accept(long t, long seq);

	}

	/**
	 * One connection: what it sends, and what it does with what it receives.
	 */
	private final class Peer {

		private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();

		private final boolean stomp;

		private final @Nullable Receipt onEvery;

		private volatile @Nullable Runnable onReply;

		private final CountDownLatch hello = new CountDownLatch(1);

		private volatile @Nullable String helloId;

		private final CountDownLatch subscribed = new CountDownLatch(1);

		private final CountDownLatch probed = new CountDownLatch(1);

		// Read and written by the connection's event loop only, until the run ends.
		private long lastSequence = -1;

		private volatile long reordered;

		Peer(boolean stomp, @Nullable Receipt onEvery) {
			this.stomp = stomp;
			this.onEvery = onEvery;
		}

		Flux<String> outbound() {
			return this.outbound.asFlux();
		}

		void onReply(Runnable onReply) {
			this.onReply = onReply;
		}

		void send(String message) {
			this.outbound.emitNext(message, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
		}

		// Read as bytes: the generator must not be what limits the rate it measures.
		void received(ByteBuf message) {
			long t = Messages.time(message);
			if (t < 0) {
				control(message.toString(StandardCharsets.UTF_8));
				return;
			}
			long seq = Messages.sequence(message);
			if (seq < Messages.FIRST_SEQUENCE) {
				// Sent by an earlier run's publisher.
				return;
			}
			LoadClient.this.received.incrementAndGet();
			if (seq < this.lastSequence) {
				this.reordered++;
			}
			this.lastSequence = seq;
			if (LoadClient.this.measuring) {
				LoadClient.this.latencies.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t));
			}
			if (this.onEvery != null) {
				this.onEvery.accept(t, seq);
			}
			Runnable onReply = this.onReply;
			if (onReply != null) {
				onReply.run();
			}
		}

		private void control(String message) {
			if (message.contains(Messages.PROBE)) {
				this.probed.countDown();
			}
			else if (message.startsWith("{\"hello\":\"")) {
				this.helloId = message.substring(10, message.length() - 2);
				this.hello.countDown();
			}
			else if (this.stomp && message.startsWith("CONNECTED")) {
				this.subscribed.countDown();
			}
		}

		String awaitHello() throws InterruptedException {
			if (!this.hello.await(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || this.helloId == null) {
				throw new IllegalStateException("No hello from the receiver");
			}
			return this.helloId;
		}

		void startStomp() throws InterruptedException {
			send("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0");
			if (!this.subscribed.await(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				throw new IllegalStateException("No CONNECTED frame");
			}
			send("SUBSCRIBE\nid:0\ndestination:/user/queue/echo\n\n\0");
		}

		// The broker may handle a SEND before the SUBSCRIBE that came first (its inbound
		// channel runs on a thread pool): probes go until one comes back.
		void awaitStompEcho() throws InterruptedException {
			long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
			do {
				send(Messages.probe());
			}
			while (!this.probed.await(50, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline);
			if (this.probed.getCount() > 0) {
				throw new IllegalStateException("No echo of a STOMP probe");
			}
		}

	}

}
