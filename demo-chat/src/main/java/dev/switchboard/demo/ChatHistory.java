package dev.switchboard.demo;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The rooms and their recent messages: in memory on one instance, in Redis with the
 * {@code redis} profile, so that every instance shows the same.
 */
interface ChatHistory {

	/**
	 * Keeps a message, forgetting the room's oldest beyond {@code demo.history.size}.
	 */
	Mono<Void> add(ChatMessage message);

	/**
	 * The room's last messages, oldest first.
	 */
	Flux<ChatMessage> recent(String room);

	/**
	 * Creates a room unless it exists.
	 * @return {@code true} when the room is new
	 */
	Mono<Boolean> addRoom(String room);

	/**
	 * The rooms: {@code demo.rooms} first, then the others by name.
	 */
	Flux<String> rooms();

}
