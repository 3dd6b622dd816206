package dev.switchboard.runtime;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.RawWebSocket.RawFrame;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

@TestPropertySource(properties = { "switchboard.limits.connections-per-instance=1",
		"switchboard.security.reject-after-upgrade=true" })
class InstanceLimitAfterUpgradeTests extends SocketTestSupport {

	@Test
	void closesWith1013AndTheReasonInsteadOfAnswering429WhenTheInstanceIsFull() {
		try (WsClient first = connect("/ws/greeting")) {
			first.next();
			try (RawWebSocket second = raw("/ws/greeting")) {
				RawFrame close = second.readFrame();
				assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
				assertThat(close.closeCode()).isEqualTo(1013);
				assertThat(close.closeReason()).isEqualTo("too many connections on this server");
			}
		}
	}

}
