package dev.switchboard.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs two {@link SwitchboardRedis} classes with JUnit and checks, once they are done,
 * that each had a server of its own and that both servers are gone.
 */
class SwitchboardRedisLifecycleTests {

	private static final Map<Class<?>, TestRedis> servers = new ConcurrentHashMap<>();

	@Test
	void givesEachClassAServerOfItsOwnAndStopsItOnceTheClassIsDone() {
		SummaryGeneratingListener listener = new SummaryGeneratingListener();
		LauncherFactory.create()
			.execute(LauncherDiscoveryRequestBuilder.request()
				.selectors(DiscoverySelectors.selectClass(First.class), DiscoverySelectors.selectClass(Second.class))
				.build(), listener);
		assertThat(listener.getSummary().getFailures()).isEmpty();
		assertThat(listener.getSummary().getTestsSucceededCount()).isEqualTo(2);
		List<Integer> ports = servers.values().stream().map(TestRedis::port).toList();
		assertThat(ports).hasSize(2).doesNotHaveDuplicates();
		assertThat(ports).noneMatch(SwitchboardRedisLifecycleTests::acceptsConnections);
	}

	private static boolean acceptsConnections(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@SwitchboardRedis
	static class First {

		@Test
		void answers(TestRedis redis) {
			assertThat(redis.command("PING")).isEqualTo("PONG");
			servers.put(First.class, redis);
		}

	}

	@SwitchboardRedis
	static class Second {

		@Test
		void answers(TestRedis redis) {
			assertThat(redis.command("PING")).isEqualTo("PONG");
			servers.put(Second.class, redis);
		}

	}

}
