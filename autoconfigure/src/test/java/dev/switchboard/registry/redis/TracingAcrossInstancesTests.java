package dev.switchboard.registry.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.exporter.SpanReporter;
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
 * Two instances on one Redis with a real tracer (Brave, as Boot's tracing
 * auto-configuration sets it up, sampling every trace) whose finished spans each instance
 * keeps in memory: a send on one instance and its delivery on the other are one trace.
 *
 * @see TracingAcrossInstancesWithOpenTelemetryTests the same with OpenTelemetry
 */
class TracingAcrossInstancesTests {

	private static Instance a;

	private static Instance b;

	@BeforeAll
	static void start() {
		TestRedis redis = TestRedis.shared();
		a = Instance.start(redis, "tracing", "a", Spans.PROPERTIES);
		b = Instance.start(redis, "tracing", "b", Spans.PROPERTIES);
	}

	@BeforeEach
	void forgetTheSpansOfOtherTests() {
		a.bean(Spans.class).finished.clear();
		b.bean(Spans.class).finished.clear();
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
	void tracesWithBrave() {
		assertThat(a.bean(Tracer.class)).isInstanceOf(BraveTracer.class);
		assertThat(b.bean(Tracer.class)).isInstanceOf(BraveTracer.class);
	}

	@Test
	void showsASendOnOneInstanceAndItsDeliveryOnAnotherInOneTrace() {
		try (WsClient client = b.connect("/ws/chat?user=tia")) {
			client.nextJson();
			assertThat(a.switchboard().toUser("tia").send("traced").block()).isEqualTo(new SendResult(0, 1));
			assertThat(client.nextText()).isEqualTo("traced");
		}
		FinishedSpan send = a.bean(Spans.class).await("send to user");
		FinishedSpan delivery = b.bean(Spans.class).await("deliver text");
		assertThat(send.getKind()).isEqualTo(Span.Kind.PRODUCER);
		assertThat(send.getTags()).containsEntry("target", "user").containsEntry("result", "published");
		assertThat(delivery.getKind()).isEqualTo(Span.Kind.CONSUMER);
		assertThat(delivery.getTraceId()).isEqualTo(send.getTraceId());
		assertThat(delivery.getParentId()).isEqualTo(send.getSpanId());
		assertThat(delivery.getSpanId()).isNotEqualTo(send.getSpanId());
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
		FinishedSpan handler = a.bean(Spans.class).await("chat say");
		FinishedSpan send = a.bean(Spans.class).await("send to room");
		FinishedSpan delivery = b.bean(Spans.class).await("deliver text");
		assertThat(handler.getTags()).containsEntry("socket", "chat")
			.containsEntry("route", "say")
			.containsEntry("exception", "none");
		assertThat(send.getTraceId()).isEqualTo(handler.getTraceId());
		assertThat(send.getParentId()).isEqualTo(handler.getSpanId());
		assertThat(delivery.getParentId()).isEqualTo(send.getSpanId());
	}

	@Test
	void recordsThePublishToDeliveryLatencyOnTheReceivingInstanceByKind() {
		MeterRegistry meters = b.bean(MeterRegistry.class);
		long before = latencies(meters, "text");
		try (WsClient client = b.connect("/ws/chat?user=wes")) {
			client.nextJson();
			a.switchboard().toUser("wes").send("timed").block();
			a.switchboard().toUser("wes").send("timed again").block();
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
