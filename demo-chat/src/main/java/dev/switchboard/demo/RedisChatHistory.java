package dev.switchboard.demo;

import java.util.List;

import org.springframework.context.annotation.Profile;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The history in Redis, shared by every instance: per room a list of JSON messages,
 * oldest first and capped, and a set of the rooms created by joining.
 */
@Component
@Profile("redis")
class RedisChatHistory implements ChatHistory {

	private final ReactiveStringRedisTemplate redis;

	private final JsonMapper json;

	private final List<String> defaultRooms;

	private final int size;

	private final String prefix;

	RedisChatHistory(ReactiveStringRedisTemplate redis, JsonMapper json, DemoProperties properties) {
		this.redis = redis;
		this.json = json;
		this.defaultRooms = properties.rooms();
		this.size = properties.history().size();
		this.prefix = properties.history().keyPrefix();
	}

	@Override
	public Mono<Void> add(ChatMessage message) {
		String key = historyKey(message.room());
		return this.redis.opsForList()
			.rightPush(key, this.json.writeValueAsString(message))
			.then(this.redis.opsForList().trim(key, -this.size, -1))
			.then();
	}

	@Override
	public Flux<ChatMessage> recent(String room) {
		return this.redis.opsForList()
			.range(historyKey(room), 0, -1)
			.map((text) -> this.json.readValue(text, ChatMessage.class));
	}

	@Override
	public Mono<Boolean> addRoom(String room) {
		if (this.defaultRooms.contains(room)) {
			return Mono.just(false);
		}
		return this.redis.opsForSet().add(roomsKey(), room).map((added) -> added > 0);
	}

	@Override
	public Flux<String> rooms() {
		Flux<String> created = this.redis.opsForSet().members(roomsKey()).sort();
		return Flux.concat(Flux.fromIterable(this.defaultRooms), created).distinct();
	}

	private String historyKey(String room) {
		return this.prefix + ":history:" + room;
	}

	private String roomsKey() {
		return this.prefix + ":rooms";
	}

}
