package dev.switchboard.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.ErrorCode;
import dev.switchboard.SendResult;
import dev.switchboard.registry.Envelope;
import dev.switchboard.runtime.SwitchboardMetrics;

/**
 * Switchboard's meters, all named {@code switchboard.*}. Every tag takes a bounded set of
 * values, whatever clients send: a close code a client chose in the range 3000 to 4999 is
 * tagged {@code other}. The meters recorded per message are resolved once per socket.
 */
final class MicrometerSwitchboardMetrics implements SwitchboardMetrics {

	static final String OTHER = "other";

	private static final SendKind[] KINDS = SendKind.values();

	private final MeterRegistry registry;

	// By kind, then by SendOutcome.
	private final Counter[][] sends;

	private final Counter handshakeTimeouts;

	private final Counter instancesPurged;

	// Looked up once per kind of envelope: recorded for every envelope received.
	private final @Nullable Timer[] latency = new Timer[Envelope.Kind.values().length];

	MicrometerSwitchboardMetrics(MeterRegistry registry) {
		this.registry = registry;
		SendOutcome[] outcomes = SendOutcome.values();
		this.sends = new Counter[KINDS.length][outcomes.length];
		for (SendKind kind : KINDS) {
			for (SendOutcome outcome : outcomes) {
				this.sends[kind.ordinal()][outcome.ordinal()] = Counter.builder("switchboard.sends")
					.description("Sends and closes through the Switchboard, by what is known of their result")
					.tag("kind", kind.tag())
					.tag("result", outcome.tag)
					.register(registry);
			}
		}
		this.handshakeTimeouts = Counter.builder("switchboard.handshakes.timeouts")
			.description("TCP connections closed because no WebSocket handshake completed within the handshake timeout")
			.register(registry);
		this.instancesPurged = Counter.builder("switchboard.instances.purged")
			.description("Dead instances whose connections this instance purged from the registry")
			.register(registry);
	}

	@Override
	public SocketMetrics socket(String socket) {
		return new MicrometerSocketMetrics(socket);
	}

	@Override
	public void handshakeTimedOut() {
		this.handshakeTimeouts.increment();
	}

	@Override
	public void sent(SendKind kind, SendResult result) {
		this.sends[kind.ordinal()][SendOutcome.of(result).ordinal()].increment();
	}

	@Override
	public void sendFailed(SendKind kind) {
		this.sends[kind.ordinal()][SendOutcome.FAILED.ordinal()].increment();
	}

	@Override
	public void deliveryFailed(Throwable cause) {
		Counter.builder("switchboard.delivery.failures")
			.description("Sends that could not be published to the other instances")
			.tag("cause", cause.getClass().getSimpleName())
			.register(this.registry)
			.increment();
	}

	@Override
	public void deliveryLatency(Envelope.Kind kind, long micros) {
		Timer timer = this.latency[kind.ordinal()];
		if (timer == null) {
			// Registering twice in a race yields the same timer.
			timer = Timer.builder("switchboard.delivery.latency")
				.description("Time from the publication of an envelope on another instance to its arrival here")
				.tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
				.register(this.registry);
			this.latency[kind.ordinal()] = timer;
		}
		timer.record(micros, TimeUnit.MICROSECONDS);
	}

	@Override
	public void instancePurged() {
		this.instancesPurged.increment();
	}

	/**
	 * The tag of a close code: the codes RFC 6455 defines as they are, and a code of the
	 * registered and private ranges as it is when this side (the application) closed with
	 * it, {@code other} when the client chose it.
	 * @param status the status
	 * @param clients whether the client chose it
	 * @return the tag
	 */
	static String codeTag(CloseStatus status, boolean clients) {
		int code = status.getCode();
		if ((code >= 1000 && code <= 1015) || (!clients && code >= 3000 && code <= 4999)) {
			return String.valueOf(code);
		}
		return OTHER;
	}

	/**
	 * What is known of a send's result, as tagged.
	 */
	private enum SendOutcome {

		LOCAL("local"), PUBLISHED("published"), DROPPED("dropped"), NOT_CONNECTED("not-connected"), FAILED("failed");

		private final String tag;

		SendOutcome(String tag) {
			this.tag = tag;
		}

		static SendOutcome of(SendResult result) {
			if (result.instances() > 0) {
				return PUBLISHED;
			}
			if (result.reached() > 0) {
				return LOCAL;
			}
			return (result.dropped() > 0) ? DROPPED : NOT_CONNECTED;
		}

	}

	/**
	 * The meters of one socket. Those recorded per message are registered once; the
	 * others as they are first needed.
	 */
	private final class MicrometerSocketMetrics implements SocketMetrics {

		// Close codes 1000 to 1015, then the application's own, then other.
		private static final int OWN_CODES = 16;

		private final String socket;

		private final Counter opened;

		private final DistributionSummary received;

		private final DistributionSummary sent;

		private final AtomicReferenceArray<Counter> errors = new AtomicReferenceArray<>(ErrorCode.values().length);

		private final AtomicReferenceArray<Counter> dropped = new AtomicReferenceArray<>(DropReason.values().length);

		private final AtomicReferenceArray<Counter> slow = new AtomicReferenceArray<>(SlowConsumer.values().length);

		private final AtomicReferenceArray<Counter> closedWith = new AtomicReferenceArray<>(OWN_CODES);

		private final Map<String, Counter> closedOther = new ConcurrentHashMap<>();

		private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

		MicrometerSocketMetrics(String socket) {
			this.socket = socket;
			MeterRegistry registry = MicrometerSwitchboardMetrics.this.registry;
			this.opened = Counter.builder("switchboard.connections.opened")
				.description("Connections accepted and registered")
				.tag("socket", socket)
				.register(registry);
			this.received = DistributionSummary.builder("switchboard.messages.received")
				.description("Messages received from clients, and their size")
				.baseUnit("bytes")
				.tag("socket", socket)
				.register(registry);
			this.sent = DistributionSummary.builder("switchboard.messages.sent")
				.description("Messages written to clients' connections, and their size")
				.baseUnit("bytes")
				.tag("socket", socket)
				.register(registry);
		}

		@Override
		public void handshakeRejected(HandshakeRejection reason, HttpStatusCode status) {
			String value = String.valueOf(status.value());
			this.rejected
				.computeIfAbsent(reason.tag() + " " + value,
						(key) -> counter("switchboard.handshakes.rejected", "Handshakes refused", "reason",
								reason.tag(), "status", value))
				.increment();
		}

		@Override
		public void connectionOpened() {
			this.opened.increment();
		}

		@Override
		public void connectionClosed(CloseStatus status, boolean clients) {
			String code = codeTag(status, clients);
			int index = status.getCode() - 1000;
			Counter counter;
			if (index >= 0 && index < OWN_CODES) {
				counter = cached(this.closedWith, index, (i) -> closedCounter(code));
			}
			else {
				counter = this.closedOther.computeIfAbsent(code, this::closedCounter);
			}
			counter.increment();
		}

		private Counter closedCounter(String code) {
			return counter("switchboard.connections.closed", "Connections that ended, by close code", "code", code);
		}

		@Override
		public void messageReceived(int bytes) {
			this.received.record(bytes);
		}

		@Override
		public void messageSent(int bytes) {
			this.sent.record(bytes);
		}

		@Override
		public void messageDropped(DropReason reason) {
			cached(this.dropped, reason.ordinal(), (i) -> counter("switchboard.messages.dropped",
					"Messages for clients that were dropped", "reason", reason.tag()))
				.increment();
		}

		@Override
		public void slowConsumerClosed(SlowConsumer reason) {
			cached(this.slow, reason.ordinal(),
					(i) -> counter("switchboard.connections.slow",
							"Connections closed with 1013 because their client does not read", "reason", reason.tag()))
				.increment();
		}

		@Override
		public void errorReplied(ErrorCode code) {
			cached(this.errors, code.ordinal(),
					(i) -> counter("switchboard.errors", "Error replies sent", "code", code.value()))
				.increment();
		}

		private Counter counter(String name, String description, String... tags) {
			return Counter.builder(name)
				.description(description)
				.tag("socket", this.socket)
				.tags(tags)
				.register(MicrometerSwitchboardMetrics.this.registry);
		}

		// Registering is idempotent: two threads that race get the same counter.
		private static Counter cached(AtomicReferenceArray<Counter> counters, int index,
				IntFunction<Counter> register) {
			Counter counter = counters.get(index);
			if (counter == null) {
				counter = register.apply(index);
				counters.set(index, counter);
			}
			return counter;
		}

	}

}
