package dev.switchboard.docs;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

import dev.switchboard.CloseReason;
import dev.switchboard.DeliveryException;
import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;

/**
 * A batch job's component that tells users through Switchboard, for
 * docs/sending-from-other-processes.md: in a process that serves no sockets, the
 * {@link Switchboard} is the send-only one of switchboard-emitter.
 */
// tag::job[]
@Component
class ReportJob {

	private static final Log logger = LogFactory.getLog(ReportJob.class);

	private final Switchboard switchboard;

	ReportJob(Switchboard switchboard) {
		this.switchboard = switchboard;
	}

	// Runs on the job's own thread, which may wait for Redis's answer.
	boolean reportReady(String user, String reportId) {
		try {
			SendResult result = this.switchboard.toUser(user)
				.send(new ReportReady("report-ready", reportId))
				.block(Duration.ofSeconds(5));
			// Not connected: the user has no connection on any instance.
			return result != null && !result.notConnected();
		}
		catch (DeliveryException ex) {
			logger.warn("Could not tell " + user + " that report " + reportId + " is ready: " + ex.getMessage());
			return false;
		}
	}

	void accountClosed(String user) {
		this.switchboard.toUser(user).close(CloseReason.POLICY_VIOLATION.withReason("account closed")).block();
	}

	record ReportReady(String type, String reportId) {
	}

}
// end::job[]
