package dev.switchboard;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CloseCodesTests {

	@Test
	void sendsTheDefinedCodesAndTheRegisteredAndPrivateRanges() {
		assertThat(IntStream.rangeClosed(0, 6000).filter(CloseCodes::isSendable).boxed().toList())
			.containsExactlyElementsOf(IntStream
				.concat(IntStream.concat(IntStream.rangeClosed(1000, 1003), IntStream.rangeClosed(1007, 1014)),
						IntStream.rangeClosed(3000, 4999))
				.boxed()
				.toList());
	}

	@Test
	void refusesARejectionWithACodeNoEndpointMaySend() {
		for (int code : new int[] { 1004, 1005, 1006, 1015, 2999 }) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new ConnectionRejectedException(HttpStatus.FORBIDDEN, new CloseStatus(code), "no"))
				.withMessageContaining("Close code " + code + " cannot be sent");
		}
		assertThat(
				new ConnectionRejectedException(HttpStatus.FORBIDDEN, new CloseStatus(4003), "banned").getCloseStatus()
					.getCode())
			.isEqualTo(4003);
	}

}
