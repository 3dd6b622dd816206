package dev.switchboard.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same behaviour from both histories: in memory, and in a real Redis.
 */
class ChatHistoryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static LettuceConnectionFactory redis;

	@BeforeAll
	static void connectToRedis() {
		TestRedis server = TestRedis.shared();
		redis = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
		redis.afterPropertiesSet();
		redis.start();
	}

	@AfterAll
	static void disconnectFromRedis() {
		redis.destroy();
	}

	static Stream<Arguments> histories() {
		Function<DemoProperties, ChatHistory> memory = InMemoryChatHistory::new;
		Function<DemoProperties, ChatHistory> inRedis = (properties) -> new RedisChatHistory(
				new ReactiveStringRedisTemplate(redis), new JsonMapper(), properties);
		return Stream.of(Arguments.of("memory", memory), Arguments.of("redis", inRedis));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("histories")
	void keepsTheLastMessagesOfARoomOldestFirst(String name, Function<DemoProperties, ChatHistory> factory) {
		ChatHistory history = factory.apply(properties());
		for (int i = 1; i <= 5; i++) {
			history.add(message("kitchen", "message " + i)).block(TIMEOUT);
		}
		history.add(message("garden", "elsewhere")).block(TIMEOUT);
		List<ChatMessage> recent = history.recent("kitchen").collectList().block(TIMEOUT);
		assertThat(recent).extracting(ChatMessage::text).containsExactly("message 3", "message 4", "message 5");
		assertThat(recent.get(0)).isEqualTo(message("kitchen", "message 3"));
		assertThat(history.recent("empty").collectList().block(TIMEOUT)).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("histories")
	void listsTheDefaultRoomsFirstThenTheCreatedOnesByName(String name, Function<DemoProperties, ChatHistory> factory) {
		ChatHistory history = factory.apply(properties());
		assertThat(history.addRoom("zoo").block(TIMEOUT)).isTrue();
		assertThat(history.addRoom("attic").block(TIMEOUT)).isTrue();
		assertThat(history.addRoom("zoo").block(TIMEOUT)).isFalse();
		assertThat(history.addRoom("general").block(TIMEOUT)).isFalse();
		assertThat(history.rooms().collectList().block(TIMEOUT)).containsExactly("general", "random", "attic", "zoo");
	}

	private static DemoProperties properties() {
		// A key prefix of the test's own: the shared Redis outlives it.
		return new DemoProperties(new DemoProperties.Token("unused", Duration.ofHours(1)), List.of("general", "random"),
				new DemoProperties.History(3, "history-tests-" + UUID.randomUUID()));
	}

	private static ChatMessage message(String room, String text) {
		Instant sentAt = Instant.parse("2025-06-01T10:00:00Z");
		return new ChatMessage(text.replace(' ', '-'), room, "alice", text, sentAt);
	}

}
