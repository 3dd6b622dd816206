package dev.switchboard.registry;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.switchboard.CloseReason;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeTests {

	@Test
	void carriesACloseCodeWithItsReason() {
		CloseReason reason = CloseReason.POLICY_VIOLATION.withReason("signed out: é");
		assertThat(Envelope.close(Destination.connection("a.b"), reason).toCloseReason()).isEqualTo(reason);
		assertThat(Envelope.close(Destination.connection("a.b"), new CloseReason(4000)).toCloseReason())
			.isEqualTo(new CloseReason(4000));
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
