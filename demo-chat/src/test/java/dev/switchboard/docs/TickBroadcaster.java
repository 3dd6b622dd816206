package dev.switchboard.docs;

import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.switchboard.Switchboard;

// tag::scheduled[]
@Component
class TickBroadcaster {

	private static final Log logger = LogFactory.getLog(TickBroadcaster.class);

	private final Switchboard switchboard;

	TickBroadcaster(Switchboard switchboard) {
		this.switchboard = switchboard;
	}

	@Scheduled(fixedRate = 60_000)
	void tick() {
		this.switchboard.broadcast("chat", new Tick(Instant.now()))
			.subscribe(null, (ex) -> logger.warn("Tick not sent: " + ex.getMessage()));
	}

	record Tick(Instant time) {
	}

}
// end::scheduled[]
