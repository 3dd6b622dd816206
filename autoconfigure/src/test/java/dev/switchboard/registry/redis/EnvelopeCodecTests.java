package dev.switchboard.registry.redis;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.switchboard.registry.Destination;
import dev.switchboard.registry.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EnvelopeCodecTests {

	private static final Destination ROOM = new Destination(Destination.Type.ROOM, List.of("lobby"), Set.of("a.1"));

	@Test
	void carriesHeadersInVersion2() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
		headers.put(Envelope.PUBLISHED_AT, "1764720000000000");
		Envelope envelope = Envelope.message(ROOM, true, "hi".getBytes(StandardCharsets.UTF_8)).withHeaders(headers);
		byte[] bytes = EnvelopeCodec.encode(envelope, "a");
		assertThat(bytes[0]).isEqualTo((byte) EnvelopeCodec.V2);
		EnvelopeCodec.Decoded decoded = EnvelopeCodec.decode(bytes);
		assertThat(decoded.origin()).isEqualTo("a");
		assertThat(decoded.envelope()).isEqualTo(envelope);
		assertThat(decoded.envelope().headers()).containsExactlyEntriesOf(headers);
	}

	@Test
	void writesAnEnvelopeWithoutHeadersAsVersion1WhichEveryInstanceReads() {
		Envelope envelope = Envelope.message(ROOM, false, new byte[] { 1, 2, 3 });
		byte[] bytes = EnvelopeCodec.encode(envelope, "a");
		assertThat(bytes[0]).isEqualTo((byte) EnvelopeCodec.V1);
		assertThat(EnvelopeCodec.decode(bytes).envelope()).isEqualTo(envelope);
	}

	@Test
	void readsWhatAnInstanceOfVersion1Published() throws IOException {
		// Written field by field as version 1 wrote it, so that a change of the encoder
		// cannot hide a change of what it reads.
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeByte(1);
			out.writeByte(Envelope.Kind.TEXT.ordinal());
			out.writeByte(Destination.Type.ROOM.ordinal());
			out.writeUTF("old");
			out.writeShort(1);
			out.writeUTF("lobby");
			out.writeShort(1);
			out.writeUTF("a.1");
			out.write("from an old instance".getBytes(StandardCharsets.UTF_8));
		}
		EnvelopeCodec.Decoded decoded = EnvelopeCodec.decode(bytes.toByteArray());
		assertThat(decoded.origin()).isEqualTo("old");
		assertThat(decoded.envelope())
			.isEqualTo(Envelope.message(ROOM, true, "from an old instance".getBytes(StandardCharsets.UTF_8)));
		assertThat(decoded.envelope().headers()).isEmpty();
	}

	@Test
	void refusesAVersionItDoesNotKnow() {
		byte[] bytes = EnvelopeCodec.encode(Envelope.membership(true, "a.1", "lobby"), "a");
		bytes[0] = 4;
		assertThatIllegalArgumentException().isThrownBy(() -> EnvelopeCodec.decode(bytes))
			.withMessage("Unknown envelope version 4");
	}

	@Test
	void readsThePositionThatTheSendScriptPutsBeforeAnEnvelopeInVersion3() {
		Envelope envelope = Envelope.message(Destination.of(Destination.Type.ROOM, List.of("lobby")), true,
				"hi".getBytes(StandardCharsets.UTF_8));
		byte[] inner = EnvelopeCodec.encode(envelope, "a");
		byte[] prefix = "\u00031764849600123456\n42\n".getBytes(StandardCharsets.UTF_8);
		byte[] stamped = new byte[prefix.length + inner.length];
		System.arraycopy(prefix, 0, stamped, 0, prefix.length);
		System.arraycopy(inner, 0, stamped, prefix.length, inner.length);
		EnvelopeCodec.Decoded decoded = EnvelopeCodec.decode(stamped);
		assertThat(decoded.origin()).isEqualTo("a");
		assertThat(decoded.envelope().data()).isEqualTo(envelope.data());
		assertThat(decoded.envelope().headers()).containsEntry(Envelope.STREAM_EPOCH, "1764849600123456")
			.containsEntry(Envelope.STREAM_OFFSET, "42");
	}

}
