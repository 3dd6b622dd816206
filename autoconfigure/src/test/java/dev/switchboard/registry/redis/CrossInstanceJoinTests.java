package dev.switchboard.registry.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.switchboard.ConnectionInfo;
import dev.switchboard.SendResult;
import dev.switchboard.test.Await;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A join that another instance requests goes through the interceptors of the instance
 * that holds the connection (docs/security.md, Room joins): a join they forbid is not
 * made, and the refusal is no warning.
 */
@ExtendWith(OutputCaptureExtension.class)
class CrossInstanceJoinTests {

	private static Instance a;

	private static Instance b;

	@BeforeAll
	static void start() {
		TestRedis redis = TestRedis.shared();
		a = Instance.start(redis, "joins", "a");
		b = Instance.start(redis, "joins", "b");
	}

	@AfterAll
	static void stop() {
		Instance.closeAll(a, b);
	}

	@Test
	void doesNotMakeAJoinAnotherInstanceRequestedWhenAnInterceptorForbidsIt(CapturedOutput output) {
		try (WsClient client = b.connect("/ws/chat")) {
			String id = client.nextJson().get("connectionId").asString();
			// The request is published; the instance that holds the connection decides.
			assertThat(a.switchboard().join(id, "private-cellar").block()).isEqualTo(new SendResult(0, 1));
			// Requests from one instance arrive in order: once this join is made, the
			// forbidden one has been decided.
			assertThat(a.switchboard().join(id, "porch").block()).isEqualTo(new SendResult(0, 1));
			Await.until(() -> a.switchboard()
				.membersOf("porch")
				.map(ConnectionInfo::id)
				.collectList()
				.block()
				.contains(id));
			assertThat(a.switchboard().membersOf("private-cellar").collectList().block()).isEmpty();
			assertThat(output).doesNotContain("private-cellar");
		}
	}

}
