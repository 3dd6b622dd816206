package dev.switchboard.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.ErrorCode;
import dev.switchboard.OverflowPolicy;
import dev.switchboard.registry.Envelope;
import dev.switchboard.runtime.SwitchboardMetrics;

/**
 * Switchboard's meters, all named {@code switchboard.*}.
 */
final class MicrometerSwitchboardMetrics implements SwitchboardMetrics {

	private final MeterRegistry registry;

	// Looked up once per socket: recorded for every message.
	private final Map<String, DistributionSummary> received = new ConcurrentHashMap<>();

	// Looked up once per kind of envelope: recorded for every envelope received.
	private final @Nullable Timer[] latency = new Timer[Envelope.Kind.values().length];

	MicrometerSwitchboardMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void handshakeRejected(String socket, HttpStatusCode status) {
		counter("switchboard.handshakes.rejected", "socket", socket, "status", String.valueOf(status.value()))
			.increment();
	}

	@Override
	public void connectionOpened(String socket) {
		counter("switchboard.connections.opened", "socket", socket).increment();
	}

	@Override
	public void connectionClosed(String socket, CloseStatus status) {
		counter("switchboard.connections.closed", "socket", socket, "code", String.valueOf(status.getCode()))
			.increment();
	}

	@Override
	public void messageReceived(String socket, int bytes) {
		this.received
			.computeIfAbsent(socket,
					(name) -> DistributionSummary.builder("switchboard.messages.received")
						.baseUnit("bytes")
						.tag("socket", name)
						.register(this.registry))
			.record(bytes);
	}

	@Override
	public void errorReplied(String socket, ErrorCode code) {
		counter("switchboard.errors", "socket", socket, "code", code.value()).increment();
	}

	@Override
	public void outboundOverflow(String socket, OverflowPolicy policy) {
		counter("switchboard.outbound.overflow", "socket", socket, "policy",
				policy.name().toLowerCase(java.util.Locale.ROOT))
			.increment();
	}

	@Override
	public void deliveryFailed(Throwable cause) {
		counter("switchboard.delivery.failures", "cause", cause.getClass().getSimpleName()).increment();
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

	private Counter counter(String name, String... tags) {
		return Counter.builder(name).tags(tags).register(this.registry);
	}

}
