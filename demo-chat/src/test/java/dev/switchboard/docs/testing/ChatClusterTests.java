package dev.switchboard.docs.testing;

import org.junit.jupiter.api.Test;

import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;
import dev.switchboard.test.SocketTestSession;
import dev.switchboard.test.SwitchboardInstances;
import dev.switchboard.test.SwitchboardRedis;
import dev.switchboard.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

// tag::instances[]
@SwitchboardRedis
class ChatClusterTests {

	@Test
	void reachesAUserConnectedToAnotherInstance(TestRedis redis) {
		try (SwitchboardInstances instances = SwitchboardInstances.of(ChatApplication.class).redis(redis).start(2);
				SocketTestSession ann = instances.get(0).client().path("/ws/chat").token("ann-token").connect()) {
			ann.expectType("welcome");
			Switchboard second = instances.get(1).bean(Switchboard.class);
			SendResult result = second.toUser("ann").send(new Notice("notice", "hello from the second")).block();
			assertThat(result.instances()).isEqualTo(1);
			assertThat(ann.expectType("notice").get("text").asString()).isEqualTo("hello from the second");
		}
	}

	record Notice(String type, String text) {
	}

}
// end::instances[]
