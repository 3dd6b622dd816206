package dev.switchboard.registry.redis;

import org.junit.jupiter.api.Test;

import dev.switchboard.ConnectionInfo;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance that shuts down closes its connections with 1001 and removes its entries
 * from Redis, so the others see its users go offline at once.
 */
class GracefulLeaveTests {

	@Test
	void closesConnectionsAndLeavesNothingInRedis() {
		TestRedis redis = TestRedis.shared();
		try (Instance observer = Instance.start(redis, "leave", "observer");
				Instance leaving = Instance.start(redis, "leave", "leaving");
				WsClient sal = leaving.connect("/ws/chat?user=sal&room=exit")) {
			sal.nextJson();
			assertThat(observer.switchboard().isOnline("sal").block()).isTrue();
			leaving.close();
			assertThat(sal.awaitClose().getCode()).isEqualTo(1001);
			assertThat(observer.switchboard().isOnline("sal").block()).isFalse();
			assertThat(observer.switchboard().membersOf("exit").collectList().block()).isEmpty();
			assertThat(Topology.command("EXISTS", Topology.keys("leave").instanceIndex("leaving"))).isEqualTo("0");
			assertThat(Topology.command("ZSCORE", Topology.keys("leave").instances(), "leaving")).isEqualTo("(nil)");
		}
	}

	/**
	 * A connection still registered when the instance leaves (its close outlived the
	 * shutdown timeout, or its removal failed) is purged by the leaving instance itself.
	 */
	@Test
	void purgesWhatItsConnectionsLeftWhenItLeaves() {
		TestRedis redis = TestRedis.shared();
		try (Instance observer = Instance.start(redis, "leftover", "observer");
				Instance leaving = Instance.start(redis, "leftover", "leaving")) {
			leaving.bean(ConnectionRegistry.class)
				.register(new ConnectionInfo("leaving.stuck", "chat", "stu", "leaving"), 0)
				.block();
			assertThat(observer.switchboard().isOnline("stu").block()).isTrue();
			leaving.close();
			assertThat(observer.switchboard().isOnline("stu").block()).isFalse();
			assertThat(Topology.command("EXISTS", Topology.keys("leftover").instanceIndex("leaving"))).isEqualTo("0");
			assertThat(Topology.command("ZSCORE", Topology.keys("leftover").purging(), "leaving")).isEqualTo("(nil)");
			assertThat(Topology.command("ZSCORE", Topology.keys("leftover").instances(), "leaving")).isEqualTo("(nil)");
		}
	}

}
