package dev.switchboard.docs;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import dev.switchboard.DeliveryException;
import dev.switchboard.Switchboard;

// tag::result[]
@Service
class MentionService {

	private static final Log logger = LogFactory.getLog(MentionService.class);

	private final Switchboard switchboard;

	private final Inbox inbox;

	MentionService(Switchboard switchboard, Inbox inbox) {
		this.switchboard = switchboard;
		this.inbox = inbox;
	}

	Mono<Void> mention(String user, Mention mention) {
		return this.switchboard.toUser(user).send(mention).flatMap((result) -> {
			if (result.notConnected()) {
				return this.inbox.store(user, mention); // offline: keep it for later
			}
			return Mono.<Void>empty();
		}).onErrorResume(DeliveryException.class, (ex) -> {
			logger.warn("Mention for " + user + " reached " + ex.getPartialResult().reached()
					+ " connection(s) before failing: " + ex.getMessage());
			return this.inbox.store(user, mention);
		});
	}

	interface Inbox {

		Mono<Void> store(String user, Mention mention);

	}

	record Mention(String from, String text) {
	}

}
// end::result[]
