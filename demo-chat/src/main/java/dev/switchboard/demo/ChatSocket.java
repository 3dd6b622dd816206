package dev.switchboard.demo;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.event.EventListener;
import reactor.core.publisher.Mono;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ErrorCode;
import dev.switchboard.SocketConnection;
import dev.switchboard.Switchboard;
import dev.switchboard.UserOfflineEvent;
import dev.switchboard.UserOnlineEvent;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

/**
 * The chat at {@code /ws/chat}. Only signed-in users connect: the token the page offers
 * at the handshake names the user ({@link TokenService}). Every send below reaches its
 * recipients on every instance. Its connections recover the rooms' messages they missed
 * while away ({@code switchboard.history} in {@code application.yml}).
 */
@Socket(name = "chat", authenticated = true, recovery = true)
class ChatSocket {

	static final String NAME = "[A-Za-z0-9_-]{1,20}";

	static final String NAME_RULE = "must be 1 to 20 letters, digits, - or _";

	private static final Log logger = LogFactory.getLog(ChatSocket.class);

	private static final SecureRandom random = new SecureRandom();

	private final Switchboard switchboard;

	private final ChatHistory history;

	ChatSocket(Switchboard switchboard, ChatHistory history) {
		this.switchboard = switchboard;
		this.history = history;
	}

	@OnConnect
	Mono<Welcome> connected(SocketConnection connection) {
		return Mono.zip(this.switchboard.onlineUsers().sort().collectList(), this.history.rooms().collectList())
			.map((lists) -> new Welcome(connection.user(), lists.getT1(), lists.getT2()));
	}

	@OnMessage("join")
	Mono<Joined> join(SocketConnection connection, @Valid Join join) {
		return this.history.addRoom(join.room())
			.filter(Boolean::booleanValue)
			.flatMap((created) -> announceRooms())
			.then(connection.join(join.room()))
			.then(this.history.recent(join.room()).collectList())
			.map((messages) -> new Joined(join.room(), messages));
	}

	@OnMessage("leave")
	Mono<Left> leave(SocketConnection connection, @Valid Leave leave) {
		return connection.leave(leave.room()).thenReturn(new Left(leave.room()));
	}

	@OnMessage("post")
	Mono<Posted> post(SocketConnection connection, @Valid Post post) {
		if (!connection.rooms().contains(post.room())) {
			throw new ClientErrorException(ErrorCode.FORBIDDEN, "join " + post.room() + " first");
		}
		ChatMessage message = new ChatMessage(newId(), post.room(), connection.user(), post.text(), Instant.now());
		return this.history.add(message)
			.then(this.switchboard.toRoom(post.room()).send(new RoomMessage(message)))
			.thenReturn(new Posted(message.messageId()));
	}

	@OnMessage("direct")
	Mono<DirectMessage> direct(SocketConnection connection, @Valid Direct direct) {
		String from = connection.user();
		if (direct.to().equals(from)) {
			throw new ClientErrorException("you cannot message yourself");
		}
		DirectMessage message = new DirectMessage(from, direct.to(), direct.text(), Instant.now());
		return this.switchboard.isOnline(direct.to()).flatMap((online) -> {
			if (!online) {
				return Mono.error(new ClientErrorException(direct.to() + " is not online"));
			}
			// Every device of the recipient and the sender's other devices; this one gets
			// the reply.
			return this.switchboard.toUsers(List.of(direct.to(), from))
				.except(connection.id())
				.send(message)
				.thenReturn(message);
		});
	}

	// Presence events are published once in the cluster, on the instance where the user
	// came or went: a broadcast from there reaches every page on every instance.
	@EventListener
	void online(UserOnlineEvent event) {
		announce(new Presence(event.user(), true));
	}

	@EventListener
	void offline(UserOfflineEvent event) {
		announce(new Presence(event.user(), false));
	}

	private void announce(Presence presence) {
		this.switchboard.broadcast("chat", presence)
			.subscribe(null, (ex) -> logger.warn("Presence of " + presence.user() + " not sent: " + ex.getMessage()));
	}

	private Mono<Void> announceRooms() {
		return this.history.rooms()
			.collectList()
			.flatMap((rooms) -> this.switchboard.broadcast("chat", new Rooms(rooms)))
			.then();
	}

	private static String newId() {
		byte[] bytes = new byte[9];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	// What the page sends: {"type": "join", "room": "general", "id": 7}. The type routes
	// it, the id comes back on the reply or the error.

	record Join(@NotNull @Pattern(regexp = NAME, message = NAME_RULE) String room) {
	}

	record Leave(@NotNull String room) {
	}

	record Post(@NotNull String room, @NotBlank @Size(max = 500) String text) {
	}

	record Direct(@NotNull String to, @NotBlank @Size(max = 500) String text) {
	}

	// What the page receives, told apart by their type.

	record Welcome(String type, String user, List<String> online, List<String> rooms) {

		Welcome(String user, List<String> online, List<String> rooms) {
			this("welcome", user, online, rooms);
		}

	}

	record Joined(String type, String room, List<ChatMessage> history) {

		Joined(String room, List<ChatMessage> history) {
			this("joined", room, history);
		}

	}

	record Left(String type, String room) {

		Left(String room) {
			this("left", room);
		}

	}

	record Posted(String type, String messageId) {

		Posted(String messageId) {
			this("posted", messageId);
		}

	}

	record RoomMessage(String type, ChatMessage message) {

		RoomMessage(ChatMessage message) {
			this("message", message);
		}

	}

	record DirectMessage(String type, String from, String to, String text, Instant sentAt) {

		DirectMessage(String from, String to, String text, Instant sentAt) {
			this("direct", from, to, text, sentAt);
		}

	}

	record Presence(String type, String user, boolean online) {

		Presence(String user, boolean online) {
			this("presence", user, online);
		}

	}

	record Rooms(String type, List<String> rooms) {

		Rooms(List<String> rooms) {
			this("rooms", rooms);
		}

	}

}
