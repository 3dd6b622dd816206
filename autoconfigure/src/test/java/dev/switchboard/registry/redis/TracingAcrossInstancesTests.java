package dev.switchboard.registry.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.exporter.SpanReporter;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.switchboard.test.Await;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one Redis with a real tracer (Brave, as Boot's tracing
 * auto-configuration sets it up, sampling every trace) whose finished spans each instance
 * keeps in memory: a send on one instance and its delivery on the other are one trace.
 *
 * @see TracingAcrossInstancesWithOpenTelemetryTests the same with OpenTelemetry
 */
class TracingAcrossInstancesTests extends TracingAcrossInstances {

	TracingAcrossInstancesTests() {
		super("tracing", Spans.PROPERTIES);
	}

	@Override
	void forget(Instance instance) {
		instance.bean(Spans.class).finished.clear();
	}

	@Override
	FinishedSpan await(Instance instance, String name) {
		return instance.bean(Spans.class).await(name);
	}

	@Test
	void tracesWithBrave() {
		assertThat(this.a.bean(Tracer.class)).isInstanceOf(BraveTracer.class);
		assertThat(this.b.bean(Tracer.class)).isInstanceOf(BraveTracer.class);
	}

	@Test
	void showsASendOnOneInstanceAndItsDeliveryOnAnotherInOneTrace() {
		sendAcross();
	}

	@Test
	void nestsASendOfAHandlerMethodUnderItsObservationAcrossInstances() {
		FinishedSpan handler = nestAcross()[0];
		assertThat(handler.getTags()).containsEntry("socket", "chat")
			.containsEntry("route", "say")
			.containsEntry("exception", "none");
	}

	@Test
	void recordsThePublishToDeliveryLatencyOnTheReceivingInstanceByKind() {
		MeterRegistry meters = this.b.bean(MeterRegistry.class);
		long before = latencies(meters, "text");
		try (WsClient client = this.b.connect("/ws/chat?user=wes")) {
			client.nextJson();
			this.a.switchboard().toUser("wes").send("timed").block();
			this.a.switchboard().toUser("wes").send("timed again").block();
			assertThat(client.next(2)).hasSize(2);
		}
		Await.until(() -> latencies(meters, "text") == before + 2);
		Timer latency = meters.find("switchboard.delivery.latency").tag("kind", "text").timer();
		assertThat(latency.getId().getTags()).hasSize(1);
		assertThat(latency.max(TimeUnit.SECONDS)).isLessThan(10);
	}

	private static long latencies(MeterRegistry meters, String kind) {
		Timer timer = meters.find("switchboard.delivery.latency").tag("kind", kind).timer();
		return (timer != null) ? timer.count() : 0;
	}

	/**
	 * The spans an instance finished, kept in memory.
	 */
	@Configuration(proxyBeanMethods = false)
	public static class Spans {

		/**
		 * Adds this class to an instance, leaves the OpenTelemetry bridge's
		 * auto-configuration out (it is on the tests' class path too), and samples every
		 * trace.
		 */
		static final String[] PROPERTIES = { "spring.main.sources=" + Spans.class
			.getName(), "spring.autoconfigure.exclude=" + Instance.EXCLUDED
					+ ",org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
				"management.tracing.sampling.probability=1.0" };

		private final List<FinishedSpan> finished = new CopyOnWriteArrayList<>();

		@Bean
		SpanReporter inMemorySpanReporter() {
			return this.finished::add;
		}

		FinishedSpan await(String name) {
			Await.until(() -> find(name) != null);
			return find(name);
		}

		private FinishedSpan find(String name) {
			return this.finished.stream().filter((span) -> name.equals(span.getName())).findFirst().orElse(null);
		}

	}

}
