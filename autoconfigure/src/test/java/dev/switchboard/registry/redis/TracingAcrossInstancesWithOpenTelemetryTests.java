package dev.switchboard.registry.redis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.switchboard.SendResult;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one Redis with the OpenTelemetry bridge as Boot's tracing
 * auto-configuration sets it up (sampling every trace, W3C propagation by default), each
 * exporting its finished spans to memory: a send on one instance and its delivery on the
 * other are one trace, the delivery continuing the context the envelope carried.
 *
 * @see TracingAcrossInstancesTests the same with Brave
 */
class TracingAcrossInstancesWithOpenTelemetryTests {

	private static final AttributeKey<String> TARGET = AttributeKey.stringKey("target");

	private static final AttributeKey<String> RESULT = AttributeKey.stringKey("result");

	private static Instance a;

	private static Instance b;

	@BeforeAll
	static void start() {
		TestRedis redis = TestRedis.shared();
		a = Instance.start(redis, "otel-tracing", "a", Spans.PROPERTIES);
		b = Instance.start(redis, "otel-tracing", "b", Spans.PROPERTIES);
	}

	@BeforeEach
	void forgetTheSpansOfOtherTests() {
		a.bean(Spans.class).forget();
		b.bean(Spans.class).forget();
	}

	@AfterAll
	static void stop() {
		for (Instance instance : new Instance[] { a, b }) {
			if (instance != null) {
				instance.close();
			}
		}
	}

	@Test
	void tracesWithTheOpenTelemetryBridge() {
		assertThat(a.bean(Tracer.class)).isInstanceOf(OtelTracer.class);
		assertThat(b.bean(Tracer.class)).isInstanceOf(OtelTracer.class);
	}

	@Test
	void showsASendOnOneInstanceAndItsDeliveryOnAnotherInOneTrace() {
		try (WsClient client = b.connect("/ws/chat?user=tia")) {
			client.nextJson();
			assertThat(a.switchboard().toUser("tia").send("traced").block()).isEqualTo(new SendResult(0, 1));
			assertThat(client.nextText()).isEqualTo("traced");
		}
		SpanData send = a.bean(Spans.class).await("send to user");
		SpanData delivery = b.bean(Spans.class).await("deliver text");
		assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
		assertThat(send.getAttributes().get(TARGET)).isEqualTo("user");
		assertThat(send.getAttributes().get(RESULT)).isEqualTo("published");
		assertThat(delivery.getKind()).isEqualTo(SpanKind.CONSUMER);
		assertThat(delivery.getTraceId()).isEqualTo(send.getTraceId());
		assertThat(delivery.getParentSpanId()).isEqualTo(send.getSpanId());
		assertThat(delivery.getParentSpanContext().isRemote()).isTrue();
		assertThat(delivery.getSpanId()).isNotEqualTo(send.getSpanId());
		assertThat(b.bean(Spans.class).received)
			.anySatisfy((headers) -> assertThat(headers).containsEntry("traceparent", traceparent(send))
				.doesNotContainKeys("b3", "X-B3-TraceId"));
	}

	@Test
	void nestsASendOfAHandlerMethodUnderItsObservationAcrossInstances() {
		try (WsClient sender = a.connect("/ws/chat?user=uma&room=nest");
				WsClient member = b.connect("/ws/chat?user=vic&room=nest")) {
			sender.nextJson();
			member.nextJson();
			sender.send("{\"type\":\"say\",\"room\":\"nest\",\"text\":\"hi\"}");
			assertThat(member.nextJson().get("text").asString()).isEqualTo("hi");
		}
		SpanData handler = a.bean(Spans.class).await("chat say");
		SpanData send = a.bean(Spans.class).await("send to room");
		SpanData delivery = b.bean(Spans.class).await("deliver text");
		assertThat(send.getTraceId()).isEqualTo(handler.getTraceId());
		assertThat(send.getParentSpanId()).isEqualTo(handler.getSpanId());
		assertThat(delivery.getTraceId()).isEqualTo(handler.getTraceId());
		assertThat(delivery.getParentSpanId()).isEqualTo(send.getSpanId());
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
