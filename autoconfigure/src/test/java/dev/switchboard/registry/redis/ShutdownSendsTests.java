package dev.switchboard.registry.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Mono;

import dev.switchboard.DeliveryException;
import dev.switchboard.SendResult;
import dev.switchboard.SocketConnection;
import dev.switchboard.SocketInterceptor;
import dev.switchboard.Switchboard;
import dev.switchboard.UserOfflineEvent;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnDisconnect;
import dev.switchboard.annotation.QueryParam;
import dev.switchboard.annotation.Socket;
import dev.switchboard.fixtures.ClusterTestApplication;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.test.OwnEventLoops;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance that shuts down gives its lease back only once the sends it published to
 * the other instances before then have ended, or failed with a {@link DeliveryException}
 * at the shutdown timeout: those in flight when the shutdown began, those of its
 * {@code @OnDisconnect} methods, and those of the listeners of the presence events its
 * closing connections caused.
 * <p>
 * Each test slows Redis with {@code CLIENT PAUSE ... WRITE} on a server of its own, so
 * that a send stays in flight. Redis runs the commands of one connection in order, so the
 * order in which Redis carries out the publication and the lease's release proves
 * nothing; what counts is that the instance does not begin to give its lease back before
 * it knows how its sends ended. A probe in the lifecycle phase between the socket
 * server's and the registry's records when the server's part of the shutdown is over (the
 * registry then gives the lease back), and whether the lease is still in Redis then; each
 * send records when it ends.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownSendsTests {

	private static final String PAUSE_MILLIS = "1000";

	private static final String REFUSING_TRAFFIC = "readiness REFUSING_TRAFFIC";

	private static final String SERVER_STOPPED = "server stopped, lease in Redis true";

	@Test
	void endsASendInFlightBeforeItGivesItsLeaseBack() throws Exception {
		try (TestRedis redis = TestRedis.startNew();
				Node b = Node.start(redis, "b");
				Node a = Node.start(redis, "a");
				WsClient bea = b.connect("/ws/chat?room=hall")) {
			bea.nextJson();
			redis.command("CLIENT", "PAUSE", PAUSE_MILLIS, "WRITE");
			CompletableFuture<SendResult> sent = a.switchboard()
				.toRoom("hall")
				.send(new Notice("notice", "in flight"))
				.doOnSuccess((result) -> a.record("sent " + result))
				.toFuture();
			a.close();
			assertThat(sent.get()).isEqualTo(new SendResult(0, 1));
			assertThat(a.order()).containsExactly(REFUSING_TRAFFIC, "sent " + new SendResult(0, 1), SERVER_STOPPED);
			assertThat(bea.nextJson().get("text").asString()).isEqualTo("in flight");
			assertThat(a.leaseInRedis()).isFalse();
		}
	}

	@Test
	void failsASendStillInFlightAtTheShutdownTimeoutBeforeItGivesItsLeaseBack(CapturedOutput output) throws Exception {
		try (TestRedis redis = TestRedis.startNew();
				Node b = Node.start(redis, "b");
				Node a = Node.start(redis, "a", "switchboard.shutdown-timeout=300ms");
				WsClient bea = b.connect("/ws/chat?room=hall")) {
			bea.nextJson();
			redis.command("CLIENT", "PAUSE", PAUSE_MILLIS, "WRITE");
			CompletableFuture<SendResult> sent = a.switchboard()
				.toRoom("hall")
				.send(new Notice("notice", "too slow"))
				.doOnError((ex) -> a.record("failed " + ex.getClass().getSimpleName()))
				.toFuture();
			a.close();
			assertThat(sent).failsWithin(Duration.ZERO)
				.withThrowableThat()
				.havingCause()
				.isInstanceOfSatisfying(DeliveryException.class, (ex) -> {
					assertThat(ex.getPartialResult()).isEqualTo(new SendResult(0, 0));
					assertThat(ex).hasCauseInstanceOf(TimeoutException.class)
						.hasMessageContaining("shutdown timeout of PT0.3S");
				});
			assertThat(a.order()).containsExactly(REFUSING_TRAFFIC, "failed DeliveryException", SERVER_STOPPED);
			assertThat(output).contains(
					"1 send(s) to other instances still in flight after PT0.3S of shutdown failed with DeliveryException");
			assertThat(a.leaseInRedis()).isFalse();
		}
	}

	@Test
	void sendsTheBroadcastOfAnOnDisconnectMethodBeforeItGivesItsLeaseBack() {
		try (TestRedis redis = TestRedis.startNew();
				Node b = Node.start(redis, "b");
				Node a = Node.start(redis, "a");
				WsClient bea = b.connect("/ws/chat?room=hall");
				WsClient ada = a.connect("/ws/farewell?user=ada&room=hall")) {
			bea.nextJson();
			ada.nextText();
			// Redis slows down as the connection closes: the broadcast of @OnDisconnect
			// is in flight when the disconnect handling is over.
			a.onDisconnect(() -> redis.command("CLIENT", "PAUSE", PAUSE_MILLIS, "WRITE"));
			a.close();
			assertThat(ada.awaitClose().getCode()).isEqualTo(1001);
			assertThat(bea.nextJson().get("text").asString()).isEqualTo("ada left");
			assertThat(a.order()).containsExactly(REFUSING_TRAFFIC, "farewell " + new SendResult(0, 1), SERVER_STOPPED);
			assertThat(a.leaseInRedis()).isFalse();
		}
	}

	@Test
	void waitsForAPresenceListenerThatSendsBeforeItGivesItsLeaseBack() throws Exception {
		try (TestRedis redis = TestRedis.startNew();
				Node b = Node.start(redis, "b");
				Node a = Node.start(redis, "a");
				WsClient bea = b.connect("/ws/chat?room=hall");
				WsClient olga = a.connect("/ws/chat?user=olga")) {
			bea.nextJson();
			olga.nextJson();
			CountDownLatch entered = new CountDownLatch(1);
			CountDownLatch proceed = new CountDownLatch(1);
			a.onOffline(() -> {
				entered.countDown();
				await(proceed);
			});
			CompletableFuture<Void> closing = CompletableFuture.runAsync(a::close);
			await(entered);
			// While the listener of olga's going offline works, the lease stays.
			Awaitility.await()
				.during(Duration.ofMillis(300))
				.atMost(WsClient.TIMEOUT)
				.until(() -> a.order().equals(List.of(REFUSING_TRAFFIC)) && a.leaseInRedis());
			proceed.countDown();
			closing.get(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(bea.nextJson().get("text").asString()).isEqualTo("olga went offline");
			assertThat(a.order()).containsExactly(REFUSING_TRAFFIC, "offline " + new SendResult(0, 1), SERVER_STOPPED);
		}
	}

	/**
	 * A listener may block, on its send too: the shutdown waits for it, and the send ends
	 * before the lease is given back.
	 */
	@Test
	void waitsForAPresenceListenerThatBlocksOnItsSend() {
		try (TestRedis redis = TestRedis.startNew();
				Node b = Node.start(redis, "b");
				Node a = Node.start(redis, "a");
				WsClient bea = b.connect("/ws/chat?room=hall");
				WsClient olga = a.connect("/ws/chat?user=olga")) {
			bea.nextJson();
			olga.nextJson();
			a.onOffline(() -> redis.command("CLIENT", "PAUSE", PAUSE_MILLIS, "WRITE"));
			a.blockingListener();
			a.close();
			assertThat(bea.nextJson().get("text").asString()).isEqualTo("olga went offline");
			assertThat(a.order()).containsExactly(REFUSING_TRAFFIC, "offline, waited for " + new SendResult(0, 1),
					SERVER_STOPPED);
		}
	}

	/**
	 * Sends made after the server's part of the shutdown, from a request that the web
	 * server's graceful shutdown lets finish, say, are not refused: they go out while
	 * Redis can be reached, even after the lease was given back.
	 */
	@Test
	void stillPublishesASendMadeAfterItGaveItsLeaseBack() {
		try (TestRedis redis = TestRedis.startNew();
				Node b = Node.start(redis, "b");
				Node a = Node.start(redis, "a");
				WsClient bea = b.connect("/ws/chat?room=hall")) {
			bea.nextJson();
			a.afterLease(() -> a.record("late send, lease in Redis " + a.leaseInRedis() + ", "
					+ a.switchboard().toRoom("hall").send(new Notice("notice", "late")).block()));
			a.close();
			assertThat(a.order()).containsExactly(REFUSING_TRAFFIC, SERVER_STOPPED,
					"late send, lease in Redis false, " + new SendResult(0, 1));
			assertThat(bea.nextJson().get("text").asString()).isEqualTo("late");
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	record Notice(String type, String text) {
	}

	/**
	 * An instance of the test application with the probes of these tests, on a Redis of
	 * the test's own, with a command timeout that outlasts the pauses.
	 */
	static final class Node implements AutoCloseable {

		private final TestRedis redis;

		private final String id;

		private final List<String> order = Collections.synchronizedList(new ArrayList<>());

		private final ConfigurableApplicationContext context;

		private volatile @Nullable Runnable onDisconnect;

		private volatile @Nullable Runnable onOffline;

		private volatile @Nullable Runnable afterLease;

		private volatile boolean blockingListener;

		private Node(TestRedis redis, String id, String... extra) {
			this.redis = redis;
			this.id = id;
			Map<String, String> properties = Instance.properties(redis, "p" + redis.port(), id);
			properties.put("switchboard.redis.instance-timeout", "9s");
			properties.put("switchboard.redis.command-timeout", "2s");
			for (String property : extra) {
				int equals = property.indexOf('=');
				properties.put(property.substring(0, equals), property.substring(equals + 1));
			}
			List<String> args = new ArrayList<>();
			properties.forEach((name, value) -> args.add("--" + name + "=" + value));
			this.context = new SpringApplicationBuilder(ClusterTestApplication.class)
				.initializers(new OwnEventLoops(), (initialized) -> register((GenericApplicationContext) initialized))
				.run(args.toArray(String[]::new));
		}

		static Node start(TestRedis redis, String id, String... extra) {
			return new Node(redis, id, extra);
		}

		private void register(GenericApplicationContext context) {
			context.registerBean("farewellSocket", FarewellSocket.class,
					() -> new FarewellSocket(context.getBean(Switchboard.class), this));
			context.registerBean("offlineAnnouncer", OfflineAnnouncer.class,
					() -> new OfflineAnnouncer(context.getBean(Switchboard.class), this));
			context.registerBean("readinessRecorder", ReadinessRecorder.class, () -> new ReadinessRecorder(this));
			context.registerBean("disconnectHook", SocketInterceptor.class, () -> new SocketInterceptor() {

				@Override
				public Mono<Void> onDisconnect(SocketConnection connection, CloseStatus status) {
					return Mono.fromRunnable(() -> run(Node.this.onDisconnect));
				}

			});
			context.registerBean("serverStoppedProbe", Probe.class, () -> new Probe(ConnectionRegistry.PHASE + 1,
					() -> record("server stopped, lease in Redis " + leaseInRedis())));
			context.registerBean("leaseGivenBackProbe", Probe.class,
					() -> new Probe(ConnectionRegistry.PHASE - 1, () -> run(this.afterLease)));
		}

		private static void run(@Nullable Runnable hook) {
			if (hook != null) {
				hook.run();
			}
		}

		Switchboard switchboard() {
			return this.context.getBean(Switchboard.class);
		}

		WsClient connect(String path) {
			int port = ((WebServerApplicationContext) this.context).getWebServer().getPort();
			return WsClient.connect(java.net.URI.create("ws://localhost:" + port + path));
		}

		void record(String event) {
			this.order.add(event);
		}

		List<String> order() {
			return List.copyOf(this.order);
		}

		boolean leaseInRedis() {
			return !"(nil)".equals(this.redis.command("ZSCORE", "{p" + this.redis.port() + "}:instances", this.id));
		}

		void onDisconnect(Runnable hook) {
			this.onDisconnect = hook;
		}

		void onOffline(Runnable hook) {
			this.onOffline = hook;
		}

		void blockingListener() {
			this.blockingListener = true;
		}

		void afterLease(Runnable hook) {
			this.afterLease = hook;
		}

		@Override
		public void close() {
			if (this.context.isActive()) {
				this.context.close();
			}
		}

	}

	/**
	 * Joins the room of {@code ?room=} and, when its connection closes, tells the room in
	 * the way many applications do: a send subscribed to and not waited for.
	 */
	@Socket("farewell")
	static final class FarewellSocket {

		private final Switchboard switchboard;

		private final Node node;

		FarewellSocket(Switchboard switchboard, Node node) {
			this.switchboard = switchboard;
			this.node = node;
		}

		@OnConnect
		Mono<String> connected(SocketConnection connection, @QueryParam String room) {
			return connection.join(room).thenReturn("welcome");
		}

		@OnDisconnect
		void disconnected(SocketConnection connection) {
			for (String room : connection.rooms()) {
				this.switchboard.toRoom(room)
					.except(connection.id())
					.send(new Notice("notice", connection.user() + " left"))
					.subscribe((result) -> this.node.record("farewell " + result),
							(ex) -> this.node.record("farewell failed " + ex));
			}
		}

	}

	/**
	 * Tells the room {@code hall} when a user goes offline, from a listener that may
	 * block as listeners may.
	 */
	static final class OfflineAnnouncer {

		private final Switchboard switchboard;

		private final Node node;

		OfflineAnnouncer(Switchboard switchboard, Node node) {
			this.switchboard = switchboard;
			this.node = node;
		}

		@EventListener
		void offline(UserOfflineEvent event) {
			Runnable hook = this.node.onOffline;
			if (hook == null) {
				return;
			}
			hook.run();
			Mono<SendResult> announce = this.switchboard.toRoom("hall")
				.send(new Notice("notice", event.user() + " went offline"));
			if (this.node.blockingListener) {
				this.node.record("offline, waited for " + announce.block());
				return;
			}
			announce.subscribe((result) -> this.node.record("offline " + result),
					(ex) -> this.node.record("offline failed " + ex));
		}

	}

	/**
	 * Records that the application refuses traffic, which Spring Boot announces as its
	 * context begins to close.
	 */
	static final class ReadinessRecorder {

		private final Node node;

		ReadinessRecorder(Node node) {
			this.node = node;
		}

		@EventListener
		void readiness(AvailabilityChangeEvent<ReadinessState> event) {
			if (event.getState() == ReadinessState.REFUSING_TRAFFIC) {
				this.node.record("readiness " + event.getState());
			}
		}

	}

	/**
	 * Runs an action when stopped, in its lifecycle phase.
	 */
	static final class Probe implements SmartLifecycle {

		private final int phase;

		private final Runnable onStop;

		private volatile boolean running;

		Probe(int phase, Runnable onStop) {
			this.phase = phase;
			this.onStop = onStop;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
			this.onStop.run();
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return this.phase;
		}

	}

}
