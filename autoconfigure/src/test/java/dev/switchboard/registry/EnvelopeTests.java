package dev.switchboard.registry;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeTests {

	@Test
	void carriesACloseStatusWithItsReason() {
		CloseStatus status = CloseStatus.POLICY_VIOLATION.withReason("signed out: é");
		assertThat(Envelope.close(Destination.connection("a.b"), status).toCloseStatus()).isEqualTo(status);
		assertThat(Envelope.close(Destination.connection("a.b"), new CloseStatus(4000)).toCloseStatus())
			.isEqualTo(new CloseStatus(4000));
	}

	@Test
	void carriesMessagesAndRoomChanges() {
		Envelope text = Envelope.message(Destination.connection("a.b"), true, "hi".getBytes(StandardCharsets.UTF_8));
		assertThat(text.kind()).isEqualTo(Envelope.Kind.TEXT);
		assertThat(new String(text.data(), StandardCharsets.UTF_8)).isEqualTo("hi");
		assertThat(Envelope.message(Destination.connection("a.b"), false, new byte[1]).kind())
			.isEqualTo(Envelope.Kind.BINARY);
		Envelope join = Envelope.membership(true, "a.b", "lobby");
		assertThat(join.kind()).isEqualTo(Envelope.Kind.JOIN);
		assertThat(join.toRoom()).isEqualTo("lobby");
	}

}
