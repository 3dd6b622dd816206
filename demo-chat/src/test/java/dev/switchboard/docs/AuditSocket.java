package dev.switchboard.docs;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import dev.switchboard.RequestId;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

// tag::request-id[]
@Socket("audit")
class AuditSocket {

	private static final Log logger = LogFactory.getLog(AuditSocket.class);

	private final AuditStore store;

	AuditSocket(AuditStore store) {
		this.store = store;
	}

	@OnMessage("record")
	Mono<Recorded> record(Entry entry, RequestId requestId) {
		// In the call: the MDC holds the request id.
		logger.info("Recording a " + entry.kind());
		return this.store.save(entry)
			// Later, on the store's thread: no MDC, so the id goes in the message.
			.doOnNext((key) -> logger.info("Recorded " + key + " for request " + requestId))
			.map(Recorded::new);
	}

	interface AuditStore {

		Mono<String> save(Entry entry);

	}

	record Entry(String kind, String detail) {
	}

	record Recorded(String key) {
	}

}
// end::request-id[]
