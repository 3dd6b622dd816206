package dev.switchboard.registry.redis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.otel.bridge.OtelFinishedSpan;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.switchboard.test.Await;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one Redis with the OpenTelemetry bridge as Boot's tracing
 * auto-configuration sets it up (sampling every trace, W3C propagation by default), each
 * exporting its finished spans to memory: a send on one instance and its delivery on the
 * other are one trace, the delivery continuing the context the envelope carried.
 *
 * @see TracingAcrossInstancesTests the same with Brave
 */
class TracingAcrossInstancesWithOpenTelemetryTests extends TracingAcrossInstances {

	TracingAcrossInstancesWithOpenTelemetryTests() {
		super("otel-tracing", Spans.PROPERTIES);
	}

	@Override
	void forget(Instance instance) {
		instance.bean(Spans.class).forget();
	}

	@Override
	FinishedSpan await(Instance instance, String name) {
		return OtelFinishedSpan.fromOtel(instance.bean(Spans.class).await(name));
	}

	@Test
	void tracesWithTheOpenTelemetryBridge() {
		assertThat(this.a.bean(Tracer.class)).isInstanceOf(OtelTracer.class);
		assertThat(this.b.bean(Tracer.class)).isInstanceOf(OtelTracer.class);
	}

	@Test
	void showsASendOnOneInstanceAndItsDeliveryOnAnotherInOneTrace() {
		FinishedSpan[] spans = sendAcross();
		SpanData send = OtelFinishedSpan.toOtel(spans[0]);
		SpanData delivery = OtelFinishedSpan.toOtel(spans[1]);
		assertThat(delivery.getParentSpanContext().isRemote()).isTrue();
		assertThat(this.b.bean(Spans.class).received)
			.anySatisfy((headers) -> assertThat(headers).containsEntry("traceparent", traceparent(send))
				.doesNotContainKeys("b3", "X-B3-TraceId"));
	}

	@Test
	void nestsASendOfAHandlerMethodUnderItsObservationAcrossInstances() {
		nestAcross();
	}

	/**
	 * The W3C header that carries the context of a span.
	 */
	private static String traceparent(SpanData span) {
		return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex();
	}

	/**
	 * The spans an instance finished, exported to memory, and the headers of the
	 * envelopes it received from other instances.
	 */
	@Configuration(proxyBeanMethods = false)
	public static class Spans {

		/**
		 * Adds this class to an instance, leaves Brave's auto-configuration out (it is on
		 * the tests' class path too), samples every trace, and exports without waiting
		 * long.
		 */
		static final String[] PROPERTIES = { "spring.main.sources=" + Spans.class.getName(),
				"spring.autoconfigure.exclude=" + Instance.EXCLUDED
						+ ",org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
				"management.tracing.sampling.probability=1.0",
				"management.opentelemetry.tracing.export.schedule-delay=50ms" };

		private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

		private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return this.exporter;
		}

		@Bean
		ObservationHandler<ReceiverContext<?>> receivedHeaders() {
			return new ObservationHandler<>() {

				@Override
				public void onStart(ReceiverContext<?> context) {
					if (context.getCarrier() instanceof Map<?, ?> headers) {
						Map<String, String> copy = new HashMap<>();
						headers.forEach((name, value) -> copy.put(name.toString(), value.toString()));
						Spans.this.received.add(copy);
					}
				}

				@Override
				public boolean supportsContext(Observation.Context context) {
					return context instanceof ReceiverContext;
				}

			};
		}

		void forget() {
			this.exporter.reset();
			this.received.clear();
		}

		SpanData await(String name) {
			Await.until(() -> find(name) != null);
			return find(name);
		}

		private SpanData find(String name) {
			return this.exporter.getFinishedSpanItems()
				.stream()
				.filter((span) -> name.equals(span.getName()))
				.findFirst()
				.orElse(null);
		}

	}

}
