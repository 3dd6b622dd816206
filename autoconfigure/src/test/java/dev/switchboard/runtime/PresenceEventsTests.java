package dev.switchboard.runtime;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.switchboard.UserOfflineEvent;
import dev.switchboard.UserOnlineEvent;
import dev.switchboard.fixtures.PresenceProbe;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When presence events are published, for whom, and how listeners run (docs/sending.md,
 * Presence events).
 */
@ExtendWith(OutputCaptureExtension.class)
class PresenceEventsTests extends SocketTestSupport {

	@Autowired
	PresenceProbe probe;

	@Test
	void announcesAUserOnlineOnlyOnceOnConnectCompleted() {
		try (WsClient client = connect("/ws/chat?user=slowpoke&slow=true")) {
			String id = client.nextJson().get("connectionId").asString();
			this.events.presenceOf("slowpoke", 1);
			List<Object> seen = this.events.events(Object.class, (event) -> event.equals("chat connected " + id)
					|| (event instanceof UserOnlineEvent online && online.connectionId().equals(id)));
			assertThat(seen).hasSize(2);
			assertThat(seen.get(0)).isEqualTo("chat connected " + id);
		}
	}

	@Test
	void neverCountsAnAnonymousConnectionAsOnline() {
		String id;
		try (WsClient anonymous = connect("/ws/chat")) {
			id = anonymous.nextJson().get("connectionId").asString();
			assertThat(this.switchboard.onlineUsers().collectList().block()).doesNotContainNull();
		}
		this.events.disconnected(id);
		// Events are published in order: those of the anonymous connection would come
		// before this user's.
		try (WsClient marker = connect("/ws/chat?user=after-anonymous")) {
			marker.next();
			this.events.presenceOf("after-anonymous", 1);
		}
		assertThat(this.events.events(UserOnlineEvent.class, (event) -> event.connectionId().equals(id))).isEmpty();
		assertThat(this.events.events(UserOfflineEvent.class, (event) -> event.connectionId().equals(id))).isEmpty();
	}

	@Test
	void publishesOnTheEventThreadAndGoesOnAfterAListenerFails(CapturedOutput output) {
		try (WsClient fails = connect("/ws/chat?user=probe-fails")) {
			fails.next();
			try (WsClient next = connect("/ws/chat?user=probe-next")) {
				next.next();
				assertThat(this.events.presenceOf("probe-next", 1)).containsExactly("online");
			}
		}
		assertThat(this.events.await(String.class,
				(event) -> event.startsWith("probe-fails") || event.startsWith("probe-next"), 2))
			.satisfiesExactly((event) -> assertThat(event).matches("probe-fails announced on switchboard-events"),
					(event) -> assertThat(event).matches("probe-next announced on switchboard-events"));
		assertThat(output).contains("A listener failed on UserOnlineEvent[user=probe-fails");
	}

	@Test
	void servesConnectionsWhileAListenerBlocksAndDelaysOnlyLaterEvents() {
		try (WsClient blocks = connect("/ws/chat?user=probe-blocks")) {
			blocks.next();
			this.events.await(String.class, (event) -> event.startsWith("probe-blocks announced"), 1);
			try (WsClient later = connect("/ws/chat?user=while-blocked")) {
				later.nextJson();
				later.send("{\"type\":\"rooms\"}");
				assertThat(later.nextJson().get("type").asString()).isEqualTo("rooms");
				assertThat(this.events.events(UserOnlineEvent.class, (event) -> event.user().equals("while-blocked")))
					.isEmpty();
				this.probe.release();
				assertThat(this.events.presenceOf("while-blocked", 1)).containsExactly("online");
			}
		}
	}

}
