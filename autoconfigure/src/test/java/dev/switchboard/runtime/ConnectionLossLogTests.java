package dev.switchboard.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.test.Await;
import dev.switchboard.test.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lines of lost connections through the server (docs/operations.md, Logs): the first
 * {@code lines-per-interval} of a reason in an interval at INFO, the others, with the
 * logger at DEBUG, at DEBUG; another reason has lines of its own. The interval is longer
 * than the test, so that every loss falls in the first one.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "logging.level.dev.switchboard.connections=debug",
		"switchboard.logging.lines-per-interval=2", "switchboard.logging.interval=10m",
		"switchboard.outbound.buffer-size=64KB", "switchboard.close-timeout=1s" })
class ConnectionLossLogTests extends SocketTestSupport {

	private static final int LOSSES = 6;

	@Test
	void logsTheFirstLossesOfAReasonAtInfoAndTheOthersAtDebug(CapturedOutput output) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < LOSSES; i++) {
			try (RawWebSocket client = raw("/ws/greeting?user=lost-" + i)) {
				String id = greetingId(client);
				ids.add(id);
				client.reset();
				// One loss after the other, so that the first ones are those of INFO.
				Await.until(() -> !lines(output, "(INFO|DEBUG)", id, ".*").isEmpty());
			}
		}
		List<String> info = new ArrayList<>();
		List<String> debug = new ArrayList<>();
		for (int i = 0; i < LOSSES; i++) {
			String id = ids.get(i);
			String remainder = "user=lost-" + i + " remote=\\S+:\\d+ code=1006$";
			List<String> atInfo = lines(output, "INFO", id, remainder);
			List<String> atDebug = lines(output, "DEBUG", id, remainder);
			assertThat(atInfo.size() + atDebug.size()).as("lines of connection %s", id).isEqualTo(1);
			(atInfo.isEmpty() ? debug : info).add(id);
		}
		assertThat(info).as("lost connections logged at INFO").containsExactlyElementsOf(ids.subList(0, 2));
		assertThat(debug).as("lost connections logged at DEBUG").containsExactlyElementsOf(ids.subList(2, LOSSES));
		// Another reason is counted on its own: a client that stops reading, closed with
		// 1013 when its outbound buffer is full.
		try (RawWebSocket slow = raw("/ws/greeting?user=slow")) {
			String id = greetingId(slow);
			int sends = 0;
			while (this.switchboard.toConnection(id).send(chunk()).block().reached() == 1) {
				assertThat(++sends).as("sends before the buffer filled").isLessThan(10_000);
			}
			assertThat(this.events.disconnected(id).status()).isEqualTo(new CloseStatus(1013, "outbound buffer full"));
			Await.until(() -> lines(output, "INFO", id,
					"user=slow remote=\\S+:\\d+ code=1013 reason=\"outbound buffer full\"$")
				.size() == 1);
		}
	}

	private static List<String> lines(CapturedOutput output, String level, String id, String remainder) {
		Pattern pattern = Pattern.compile("^\\S+\\s+" + level + "\\s.*: Connection lost: id=" + Pattern.quote(id)
				+ " socket=greeting " + remainder);
		return output.getOut().lines().filter((line) -> pattern.matcher(line).find()).toList();
	}

}
