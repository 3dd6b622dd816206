package dev.switchboard.registry.redis;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.exporter.FinishedSpan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import dev.switchboard.SendResult;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a trace across two instances on one Redis shows whatever the tracer: a send on one
 * instance and its delivery on the other in one trace, the delivery the send's child, and
 * a send that a handler method returns nested under the handler's span. Each tracer's
 * test starts the instances with its own set-up, keeps their finished spans, and adds
 * what only it can check.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class TracingAcrossInstances {

	Instance a;

	Instance b;

	private final String prefix;

	private final String[] properties;

	/**
	 * Instances on the given keys with the given tracer's set-up.
	 * @param prefix the registry's key prefix
	 * @param properties the instances' properties
	 */
	TracingAcrossInstances(String prefix, String... properties) {
		this.prefix = prefix;
		this.properties = properties;
	}

	@BeforeAll
	void start() {
		TestRedis redis = TestRedis.shared();
		this.a = Instance.start(redis, this.prefix, "a", this.properties);
		this.b = Instance.start(redis, this.prefix, "b", this.properties);
	}

	@BeforeEach
	void forgetTheSpansOfOtherTests() {
		forget(this.a);
		forget(this.b);
	}

	@AfterAll
	void stop() {
		for (Instance instance : new Instance[] { this.a, this.b }) {
			if (instance != null) {
				instance.close();
			}
		}
	}

	/**
	 * Forgets the spans an instance finished so far.
	 * @param instance the instance
	 */
	abstract void forget(Instance instance);

	/**
	 * Waits for an instance to finish a span.
	 * @param instance the instance
	 * @param name the span's name
	 * @return the span
	 */
	abstract FinishedSpan await(Instance instance, String name);

	/**
	 * Sends from instance a to a user connected to instance b.
	 * @return the send's span on a and the delivery's on b, one trace
	 */
	FinishedSpan[] sendAcross() {
		try (WsClient client = this.b.connect("/ws/chat?user=tia")) {
			client.nextJson();
			assertThat(this.a.switchboard().toUser("tia").send("traced").block()).isEqualTo(new SendResult(0, 1));
			assertThat(client.nextText()).isEqualTo("traced");
		}
		FinishedSpan send = await(this.a, "send to user");
		FinishedSpan delivery = await(this.b, "deliver text");
		assertThat(send.getKind()).isEqualTo(Span.Kind.PRODUCER);
		assertThat(send.getTags()).containsEntry("target", "user").containsEntry("result", "published");
		assertThat(delivery.getKind()).isEqualTo(Span.Kind.CONSUMER);
		assertThat(delivery.getTraceId()).isEqualTo(send.getTraceId());
		assertThat(delivery.getParentId()).isEqualTo(send.getSpanId());
		assertThat(delivery.getSpanId()).isNotEqualTo(send.getSpanId());
		return new FinishedSpan[] { send, delivery };
	}

	/**
	 * A client on instance a says something to a room whose member is on instance b.
	 * @return the handler's span, the send's, and the delivery's, one trace
	 */
	FinishedSpan[] nestAcross() {
		try (WsClient sender = this.a.connect("/ws/chat?user=uma&room=nest");
				WsClient member = this.b.connect("/ws/chat?user=vic&room=nest")) {
			sender.nextJson();
			member.nextJson();
			sender.send("{\"type\":\"say\",\"room\":\"nest\",\"text\":\"hi\"}");
			assertThat(member.nextJson().get("text").asString()).isEqualTo("hi");
		}
		FinishedSpan handler = await(this.a, "chat say");
		FinishedSpan send = await(this.a, "send to room");
		FinishedSpan delivery = await(this.b, "deliver text");
		assertThat(send.getTraceId()).isEqualTo(handler.getTraceId());
		assertThat(send.getParentId()).isEqualTo(handler.getSpanId());
		assertThat(delivery.getTraceId()).isEqualTo(handler.getTraceId());
		assertThat(delivery.getParentId()).isEqualTo(send.getSpanId());
		return new FinishedSpan[] { handler, send, delivery };
	}

}
