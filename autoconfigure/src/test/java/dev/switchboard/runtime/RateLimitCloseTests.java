package dev.switchboard.runtime;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

@TestPropertySource(properties = { "switchboard.limits.messages-per-second=5", "switchboard.limits.message-burst=5",
		"switchboard.limits.rate-limit-action=close" })
class RateLimitCloseTests extends SocketTestSupport {

	@Test
	void closesAConnectionThatSendsFasterThanItsRateWith1008() {
		try (WsClient flooder = connect("/ws/routing"); WsClient bystander = connect("/ws/routing")) {
			for (int i = 0; i < 50; i++) {
				flooder.send("m" + i);
			}
			org.springframework.web.reactive.socket.CloseStatus status = flooder.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("rate limit exceeded");
			assertThat(flooder.drain()).hasSizeLessThanOrEqualTo(5);
			bystander.send("calm");
			assertThat(bystander.nextText()).isEqualTo("fallback:calm");
		}
	}

}
