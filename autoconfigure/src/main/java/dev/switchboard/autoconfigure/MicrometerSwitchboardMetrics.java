package dev.switchboard.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.ErrorCode;
import dev.switchboard.OverflowPolicy;
import dev.switchboard.runtime.SwitchboardMetrics;

/**
 * Switchboard's meters, all named {@code switchboard.*}.
 */
final class MicrometerSwitchboardMetrics implements SwitchboardMetrics {

	private final MeterRegistry registry;

	// Looked up once per socket: recorded for every message.
	private final Map<String, DistributionSummary> received = new ConcurrentHashMap<>();

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

	private Counter counter(String name, String... tags) {
		return Counter.builder(name).tags(tags).register(this.registry);
	}

}
