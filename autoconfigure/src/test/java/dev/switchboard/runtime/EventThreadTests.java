package dev.switchboard.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

import dev.switchboard.UserOfflineEvent;
import dev.switchboard.UserOnlineEvent;
import dev.switchboard.test.Await;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presence events are published on a thread of their own, in order, so that a listener
 * that blocks stalls no connection.
 */
@Import(EventThreadTests.BlockingListener.class)
class EventThreadTests extends SocketTestSupport {

	@Autowired
	BlockingListener listener;

	@Test
	void publishesPresenceInOrderOnItsOwnThreadWhileAListenerBlocks() throws InterruptedException {
		BlockingListener listener = this.listener;
		try (WsClient stalled = connect("/ws/greeting?user=stalled")) {
			stalled.next();
			Await.until(() -> listener.seen.contains("online stalled"));
			assertThat(listener.threads).allMatch((name) -> name.startsWith("switchboard-events"));
			// The listener still blocks: connections are served all the same.
			try (WsClient other = connect("/ws/routing?user=other")) {
				other.send("still served");
				assertThat(other.nextText()).isEqualTo("fallback:still served");
			}
			// Closing a client does not wait for the server: the events' order is that of
			// the server's disconnects, so stalled closes once other's is done.
			Await.until(() -> !this.switchboard.isOnline("other").block(WsClient.TIMEOUT));
			assertThat(listener.seen).containsExactly("online stalled");
			listener.release.countDown();
		}
		Await.until(() -> listener.seen.size() == 4);
		assertThat(listener.seen).containsExactly("online stalled", "online other", "offline other", "offline stalled");
		assertThat(listener.threads).allMatch((name) -> name.startsWith("switchboard-events"));
	}

	@Configuration(proxyBeanMethods = false)
	static class BlockingListener {

		final List<String> seen = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		final CountDownLatch release = new CountDownLatch(1);

		@EventListener
		void online(UserOnlineEvent event) throws InterruptedException {
			if (event.user().equals("stalled") || event.user().equals("other")) {
				this.threads.add(Thread.currentThread().getName());
				this.seen.add("online " + event.user());
				if (event.user().equals("stalled")) {
					this.release.await(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				}
			}
		}

		@EventListener
		void offline(UserOfflineEvent event) {
			if (event.user().equals("stalled") || event.user().equals("other")) {
				this.threads.add(Thread.currentThread().getName());
				this.seen.add("offline " + event.user());
			}
		}

	}

}
