package dev.switchboard.registry.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import reactor.core.publisher.Mono;

import dev.switchboard.SendResult;
import dev.switchboard.SocketConnection;
import dev.switchboard.SocketInterceptor;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters Boot's meter observation handler makes of the observations, on two instances
 * on one Redis (docs/operations.md, Meters from observations): the timers
 * {@code switchboard.handler}, {@code switchboard.send} and {@code switchboard.delivery}
 * with their tags and Micrometer's {@code error} tag, and the long task timers
 * {@code <name>.active} of those in progress.
 */
class ObservationMetersTests {

	private static final String[] SAY = { "socket", "chat", "route", "say", "exception", "none" };

	private static final String[] TO_ROOM = { "target", "room", "operation", "send" };

	@Test
	void countsAHandlerAndItsSendActiveWhileRedisHoldsThemAndTimesThemWithTheirDelivery() {
		try (TestRedis redis = TestRedis.startNew();
				Instance a = start(redis, "a");
				Instance b = start(redis, "b");
				WsClient sender = a.connect("/ws/chat?user=ora&room=meters");
				WsClient member = b.connect("/ws/chat?user=pia&room=meters")) {
			sender.nextJson();
			member.nextJson();
			MeterRegistry metersA = a.bean(MeterRegistry.class);
			MeterRegistry metersB = b.bean(MeterRegistry.class);
			long handled = count(metersA, "switchboard.handler", with(SAY, "error", "none"));
			long sent = count(metersA, "switchboard.send", with(TO_ROOM, "result", "published", "error", "none"));
			long delivered = count(metersB, "switchboard.delivery", "kind", "text", "error", "none");
			// Redis takes no write while paused: the send, and the handler that returned
			// it, are in progress until it takes them.
			redis.command("CLIENT", "PAUSE", "8000", "WRITE");
			try {
				sender.send("{\"type\":\"say\",\"room\":\"meters\",\"text\":\"held\"}");
				Await.until(() -> active(metersA, "switchboard.handler.active", SAY) == 1
						&& active(metersA, "switchboard.send.active", TO_ROOM) == 1);
				assertThat(count(metersA, "switchboard.send", TO_ROOM)).isEqualTo(sent);
			}
			finally {
				redis.command("CLIENT", "UNPAUSE");
			}
			assertThat(member.nextJson().get("text").asString()).isEqualTo("held");
			Await.until(() -> count(metersA, "switchboard.handler", with(SAY, "error", "none")) == handled + 1
					&& count(metersA, "switchboard.send", with(TO_ROOM, "result", "published", "error", "none")) == sent
							+ 1
					&& count(metersB, "switchboard.delivery", "kind", "text", "error", "none") == delivered + 1);
			assertThat(active(metersA, "switchboard.handler.active", SAY)).isZero();
			assertThat(active(metersA, "switchboard.send.active", TO_ROOM)).isZero();
			assertThat(active(metersB, "switchboard.delivery.active", "kind", "text")).isZero();
		}
	}

	@Test
	void countsTheDeliveryOfWhatAnotherInstancePublishedActiveWhileItRunsAndTimesIt() {
		TestRedis redis = TestRedis.shared();
		try (Instance a = Instance.start(redis, "observation-meters", "a");
				Instance b = Instance.start(redis, "observation-meters", "b",
						"spring.main.sources=" + JoinProbe.class.getName());
				WsClient quin = b.connect("/ws/chat?user=quin&room=hall")) {
			String id = quin.nextJson().get("connectionId").asString();
			MeterRegistry meters = b.bean(MeterRegistry.class);
			JoinProbe probe = b.bean(JoinProbe.class);
			long delivered = count(meters, "switchboard.delivery", "kind", "join", "error", "none");
			assertThat(a.switchboard().join(id, "lounge").block()).isEqualTo(new SendResult(0, 1));
			Await.until(() -> count(meters, "switchboard.delivery", "kind", "join", "error", "none") == delivered + 1);
			// The join of the connection's own instance is not a delivery; that of
			// another
			// is one, in progress while the interceptors hear of it.
			assertThat(probe.activeDeliveries).containsEntry("hall", 0L).containsEntry("lounge", 1L);
			assertThat(active(meters, "switchboard.delivery.active", "kind", "join")).isZero();
		}
	}

	private static Instance start(TestRedis redis, String id) {
		// Longer than the pause: neither the lease nor the send runs out while Redis is
		// held.
		return Instance.start(redis, redis, id, "switchboard.redis.instance-timeout=30s",
				"switchboard.redis.command-timeout=9s");
	}

	private static String[] with(String[] tags, String... more) {
		String[] all = new String[tags.length + more.length];
		System.arraycopy(tags, 0, all, 0, tags.length);
		System.arraycopy(more, 0, all, tags.length, more.length);
		return all;
	}

	private static long count(MeterRegistry meters, String name, String... tags) {
		Timer timer = meters.find(name).tags(tags).timer();
		return (timer != null) ? timer.count() : 0;
	}

	private static long active(MeterRegistry meters, String name, String... tags) {
		LongTaskTimer timer = meters.find(name).tags(tags).longTaskTimer();
		return (timer != null) ? timer.activeTasks() : -1;
	}

	/**
	 * Records, for each room a connection joins, how many deliveries of what other
	 * instances published were in progress when the interceptors heard of the join.
	 */
	@Configuration(proxyBeanMethods = false)
	public static class JoinProbe {

		private final Map<String, Long> activeDeliveries = new ConcurrentHashMap<>();

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		SocketInterceptor joinProbe(MeterRegistry meters) {
			return new SocketInterceptor() {

				@Override
				public Mono<Void> onJoin(SocketConnection connection, String room) {
					LongTaskTimer deliveries = meters.find("switchboard.delivery.active")
						.tag("kind", "join")
						.longTaskTimer();
					JoinProbe.this.activeDeliveries.put(room,
							(deliveries != null) ? (long) deliveries.activeTasks() : 0L);
					return Mono.empty();
				}

			};
		}

	}

}
