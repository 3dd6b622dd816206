package dev.switchboard.docs;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.switchboard.Switchboard;
import dev.switchboard.UserOfflineEvent;
import dev.switchboard.UserOnlineEvent;

// tag::listener[]
@Component
class PresenceListener {

	private final Switchboard switchboard;

	PresenceListener(Switchboard switchboard) {
		this.switchboard = switchboard;
	}

	@EventListener
	void online(UserOnlineEvent event) {
		this.switchboard.broadcast("chat", new Presence(event.user(), true)).subscribe();
	}

	@EventListener
	void offline(UserOfflineEvent event) {
		this.switchboard.broadcast("chat", new Presence(event.user(), false)).subscribe();
	}

	record Presence(String user, boolean online) {
	}

}
// end::listener[]
