package dev.switchboard.docs;

import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

// tag::internal-error[]
@Socket("reports")
class ReportSocket {

	private final ReportStore reports;

	ReportSocket(ReportStore reports) {
		this.reports = reports;
	}

	@OnMessage("report")
	Report report(ReportRequest request) {
		return this.reports.find(request.name()); // throws when the store is down
	}

	interface ReportStore {

		Report find(String name);

	}

	record ReportRequest(String name) {
	}

	record Report(String name, long total) {
	}

}
// end::internal-error[]
