package dev.switchboard.docs;

import java.util.List;

import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.CloseReason;
import dev.switchboard.ConnectionInfo;
import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;

@Service
class NotificationService {

	private final Switchboard switchboard;

	NotificationService(Switchboard switchboard) {
		this.switchboard = switchboard;
	}

	// tag::targets[]
	Mono<SendResult> toOneConnection(String connectionId) {
		return this.switchboard.toConnection(connectionId).send(new Notice("just this connection"));
	}

	Mono<SendResult> toEveryDeviceOfAUser(String user) {
		return this.switchboard.toUser(user).send(new Notice("every device of one user"));
	}

	Mono<SendResult> toSeveralUsers(List<String> users) {
		return this.switchboard.toUsers(users).send(new Notice("every device of several users"));
	}

	Mono<SendResult> toARoom(String room) {
		return this.switchboard.toRoom(room).send(new Notice("everyone in " + room));
	}

	Mono<SendResult> toEveryConnectionOfASocket() {
		return this.switchboard.toSocket("chat").send(new Notice("everyone on chat"));
	}

	Mono<SendResult> broadcast() {
		return this.switchboard.broadcast("chat", new Notice("everyone on chat, shorter"));
	}

	Mono<SendResult> toARoomExceptTheSender(String room, String senderId) {
		return this.switchboard.toRoom(room).except(senderId).send(new Notice("everyone else in " + room));
	}
	// end::targets[]

	// tag::close[]
	Mono<SendResult> signOut(String user) {
		return this.switchboard.toUser(user).close(CloseReason.NORMAL.withReason("signed out"));
	}
	// end::close[]

	// tag::rooms[]
	Mono<SendResult> move(String connectionId, String from, String to) {
		return this.switchboard.leave(connectionId, from).then(this.switchboard.join(connectionId, to));
	}
	// end::rooms[]

	// tag::queries[]
	Mono<Boolean> isOnline(String user) {
		return this.switchboard.isOnline(user);
	}

	Flux<ConnectionInfo> devicesOf(String user) {
		return this.switchboard.connectionsOf(user);
	}

	Mono<Long> sizeOf(String room) {
		return this.switchboard.membersOf(room).count();
	}

	Mono<List<String>> whoIsOnline() {
		return this.switchboard.onlineUsers().collectList();
	}
	// end::queries[]

	record Notice(String notice) {
	}

}
