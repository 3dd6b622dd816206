package dev.switchboard.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadingTests extends SocketTestSupport {

	@Test
	void runsBlockingHandlersOffTheEventLoopAndReactiveOnesOnIt() {
		try (WsClient client = connect("/ws/threads")) {
			client.send("{\"type\":\"blocking\"}").send("{\"type\":\"reactive\"}");
			assertThat(client.nextText()).startsWith("boundedElastic-");
			assertThat(client.nextText()).contains("http-epoll").doesNotContain("boundedElastic");
		}
	}

	@Test
	void runsAPlainMethodDeclaredNonBlockingOnTheEventLoop() {
		try (WsClient client = connect("/ws/threads")) {
			client.send("{\"type\":\"non-blocking\"}");
			assertThat(client.nextText()).contains("http-epoll").doesNotContain("boundedElastic");
		}
	}

	@Test
	void runsEveryPlainMethodOfASocketDeclaredNonBlockingOnTheEventLoop() {
		try (WsClient client = connect("/ws/non-blocking")) {
			assertThat(client.nextText()).startsWith("hello from ").contains("http-epoll");
			client.send("ping");
			assertThat(client.nextText()).startsWith("ping on ").contains("http-epoll");
			client.send("{\"type\":\"refuse\",\"id\":7}");
			assertThat(client.nextJson().path("error").asString()).startsWith("refused on ").contains("http-epoll");
		}
	}

	@Test
	void handlesTheMessagesOfAConnectionOneAtATimeInOrder() {
		try (WsClient client = connect("/ws/threads")) {
			for (int n = 0; n < 10; n++) {
				client.send("{\"type\":\"delayed\",\"n\":" + n + "}");
			}
			for (int n = 0; n < 10; n++) {
				assertThat(client.nextText()).isEqualTo("done:" + n);
			}
		}
	}

	@Test
	void handlesMessagesConcurrentlyWhenTheSocketAllowsIt() {
		try (WsClient client = connect("/ws/concurrent")) {
			for (int n = 0; n < 10; n++) {
				client.send("{\"n\":" + n + "}");
			}
			List<String> replies = client.next(10).stream().map(WsClient.Frame::asText).toList();
			assertThat(replies).containsExactlyInAnyOrder("done:0", "done:1", "done:2", "done:3", "done:4", "done:5",
					"done:6", "done:7", "done:8", "done:9");
			assertThat(replies).isNotEqualTo(replies.stream().sorted().toList());
		}
	}

	@Test
	void keepsTheOrderOfRepliesWhenAnOrderedSocketHandlesMessagesConcurrently() {
		try (WsClient client = connect("/ws/ordered")) {
			for (int n = 0; n < 10; n++) {
				client.send("{\"type\":\"delayed\",\"n\":" + n + "}");
			}
			List<String> replies = client.next(10).stream().map(WsClient.Frame::asText).toList();
			assertThat(replies.stream().map((reply) -> reply.substring(0, reply.indexOf(' ')))).containsExactly(
					"done:0", "done:1", "done:2", "done:3", "done:4", "done:5", "done:6", "done:7", "done:8", "done:9");
			assertThat(replies).anyMatch((reply) -> !reply.endsWith(" running:1"));
		}
	}

	@Test
	void deliversThousandsOfConcurrentSendsToOneConnectionInOrderPerSender() throws Exception {
		int senders = 8;
		int perSender = 1000;
		try (WsClient client = connect("/ws/chat")) {
			String id = client.nextJson().get("connectionId").asString();
			ExecutorService pool = Executors.newFixedThreadPool(senders);
			CountDownLatch start = new CountDownLatch(1);
			for (int s = 0; s < senders; s++) {
				int sender = s;
				pool.execute(() -> {
					await(start);
					for (int i = 0; i < perSender; i++) {
						this.switchboard.toConnection(id).send(sender + ":" + i).block(WsClient.TIMEOUT);
					}
				});
			}
			start.countDown();
			Map<Integer, List<Integer>> received = new ConcurrentHashMap<>();
			for (WsClient.Frame frame : client.next(senders * perSender)) {
				String[] parts = frame.asText().split(":");
				received.computeIfAbsent(Integer.parseInt(parts[0]), (sender) -> new ArrayList<>())
					.add(Integer.parseInt(parts[1]));
			}
			pool.shutdown();
			assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			assertThat(received).hasSize(senders);
			List<Integer> expected = java.util.stream.IntStream.range(0, perSender).boxed().toList();
			received.values().forEach((sequence) -> assertThat(sequence).isEqualTo(expected));
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
