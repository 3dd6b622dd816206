package dev.switchboard.registry.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import dev.switchboard.DeliveryException;
import dev.switchboard.SendResult;
import dev.switchboard.fixtures.ClusterTestApplication;
import dev.switchboard.test.AppInstance;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters of several instances on one Redis: sends published to the other instances,
 * sends that fail with Redis down, and the purge of a dead instance.
 */
class RegistryMetricsTests {

	@Test
	void countsASendPublishedToAnotherInstanceAndTheMessageItWritesThere() {
		TestRedis redis = TestRedis.shared();
		try (Instance a = Instance.start(redis, "metrics-sends", "a");
				Instance b = Instance.start(redis, "metrics-sends", "b");
				WsClient una = b.connect("/ws/chat?user=una")) {
			una.nextJson();
			MeterRegistry meters = a.bean(MeterRegistry.class);
			DistributionSummary written = b.bean(MeterRegistry.class)
				.get("switchboard.messages.sent")
				.tag("socket", "chat")
				.summary();
			long writtenBefore = written.count();
			double published = count(meters, "switchboard.sends", "kind", "message", "result", "published");
			assertThat(a.switchboard().toUser("una").send("over there").block()).isEqualTo(new SendResult(0, 1));
			assertThat(una.nextText()).isEqualTo("over there");
			assertThat(count(meters, "switchboard.sends", "kind", "message", "result", "published"))
				.isEqualTo(published + 1);
			Await.until(() -> written.count() == writtenBefore + 1);
		}
	}

	@Test
	void countsASendThatFailsWithRedisDownAndItsDeliveryFailure() {
		try (TestRedis redis = TestRedis.startNew(); Instance a = Instance.start(redis, "metrics-down", "a")) {
			MeterRegistry meters = a.bean(MeterRegistry.class);
			double failed = count(meters, "switchboard.sends", "kind", "message", "result", "failed");
			double failures = failures(meters);
			redis.stop();
			StepVerifier.create(a.switchboard().toUser("una").send("lost"))
				.expectError(DeliveryException.class)
				.verify(WsClient.TIMEOUT);
			assertThat(count(meters, "switchboard.sends", "kind", "message", "result", "failed")).isEqualTo(failed + 1);
			assertThat(failures(meters)).isEqualTo(failures + 1);
		}
	}

	@Test
	void countsTheDeadInstanceASurvivorPurges() {
		TestRedis redis = TestRedis.shared();
		try (Instance survivor = Instance.start(redis, "metrics-purge", "survivor");
				AppInstance doomed = AppInstance.start(ClusterTestApplication.class,
						Instance.properties(redis, "metrics-purge", "doomed"))) {
			Await.until(() -> !"(nil)"
				.equals(Topology.command("ZSCORE", Topology.keys("metrics-purge").instances(), "doomed")));
			try (WsClient client = WsClient.connect(doomed.wsUri("/ws/chat?user=doomed-user"))) {
				client.nextJson();
				MeterRegistry meters = survivor.bean(MeterRegistry.class);
				assertThat(meters.get("switchboard.instances.purged").counter().count()).isZero();
				doomed.kill();
				Await.until(() -> "0".equals(redis.command("EXISTS", "{metrics-purge}:i:doomed")));
				Await.until(() -> meters.get("switchboard.instances.purged").counter().count() == 1);
			}
		}
	}

	private static double count(MeterRegistry meters, String name, String... tags) {
		Counter counter = meters.find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static double failures(MeterRegistry meters) {
		return meters.find("switchboard.delivery.failures").counters().stream().mapToDouble(Counter::count).sum();
	}

}
