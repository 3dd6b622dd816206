package dev.switchboard.docs;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import dev.switchboard.DeliveryException;
import dev.switchboard.RegistryUnavailableException;
import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;

@Service
class AlertService {

	private static final Log logger = LogFactory.getLog(AlertService.class);

	private final Switchboard switchboard;

	AlertService(Switchboard switchboard) {
		this.switchboard = switchboard;
	}

	// tag::outage[]
	Mono<SendResult> alert(String room, Alert alert) {
		return this.switchboard.toRoom(room).send(alert).onErrorResume(DeliveryException.class, (ex) -> {
			if (ex.getCause() instanceof RegistryUnavailableException) {
				// Redis is unreachable: only the members on this instance have it.
				logger.warn("Alert for " + room + " reached this instance only: " + ex.getMessage());
				return Mono.just(ex.getPartialResult());
			}
			return Mono.error(ex);
		});
	}
	// end::outage[]

	record Alert(String level, String text) {
	}

}
