package dev.switchboard.runtime;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;

class CloseReasonTests {

	@Test
	void keepsAReasonThatFitsInACloseFrame() {
		CloseStatus status = CloseStatus.POLICY_VIOLATION.withReason("x".repeat(123));
		assertThat(CloseState.fitToFrame(status)).isSameAs(status);
	}

	@Test
	void cutsALongReasonToTheSizeOfACloseFrameOnACharacterBoundary() {
		CloseStatus fitted = CloseState.fitToFrame(CloseStatus.POLICY_VIOLATION.withReason("é".repeat(100)));
		assertThat(fitted.getCode()).isEqualTo(1008);
		assertThat(fitted.getReason().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
		assertThat(fitted.getReason()).startsWith("éé").endsWith("...").doesNotContain("\uFFFD");
	}

}
