package dev.switchboard.docs.start;

// tag::controller[]
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;

@RestController
class AnnouncementController {

	private final Switchboard switchboard;

	AnnouncementController(Switchboard switchboard) {
		this.switchboard = switchboard;
	}

	@PostMapping("/announce")
	Mono<SendResult> announce(@RequestBody String text) {
		return this.switchboard.toRoom("lobby").send(new Announcement(text));
	}

	@PostMapping("/users/{user}/notices")
	Mono<SendResult> notifyUser(@PathVariable String user, @RequestBody String text) {
		return this.switchboard.toUser(user).send(new Announcement(text));
	}

	record Announcement(String announcement) {
	}

}
// end::controller[]
