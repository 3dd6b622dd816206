package dev.switchboard.demo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Component
@Profile("!redis")
class InMemoryChatHistory implements ChatHistory {

	private final List<String> defaultRooms;

	private final int size;

	private final Set<String> createdRooms = new ConcurrentSkipListSet<>();

	private final Map<String, Deque<ChatMessage>> messages = new ConcurrentHashMap<>();

	InMemoryChatHistory(DemoProperties properties) {
		this.defaultRooms = properties.rooms();
		this.size = properties.history().size();
	}

	@Override
	public Mono<Void> add(ChatMessage message) {
		return Mono.fromRunnable(() -> {
			Deque<ChatMessage> room = this.messages.computeIfAbsent(message.room(), (name) -> new ArrayDeque<>());
			synchronized (room) {
				room.addLast(message);
				while (room.size() > this.size) {
					room.removeFirst();
				}
			}
		});
	}

	@Override
	public Flux<ChatMessage> recent(String room) {
		return Flux.defer(() -> {
			Deque<ChatMessage> messages = this.messages.getOrDefault(room, new ArrayDeque<>());
			synchronized (messages) {
				return Flux.fromIterable(new ArrayList<>(messages));
			}
		});
	}

	@Override
	public Mono<Boolean> addRoom(String room) {
		return Mono.fromSupplier(() -> !this.defaultRooms.contains(room) && this.createdRooms.add(room));
	}

	@Override
	public Flux<String> rooms() {
		return Flux.concat(Flux.fromIterable(this.defaultRooms), Flux.fromIterable(this.createdRooms)).distinct();
	}

}
