package dev.switchboard.registry.redis;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.switchboard.registry.Destination;
import dev.switchboard.registry.Envelope;

/**
 * The binary form of an envelope on a Redis channel: version, kind, origin instance,
 * destination, (from version 2) the headers, then the payload as it is: a message is
 * encoded once and copied once. An envelope without headers is written as version 1,
 * which instances of every version read; one with headers as version 2, which only
 * instances that know it read. A send to a stream with history in the single-slot layout
 * is published as version 3, the position its script gave it before the envelope.
 */
final class EnvelopeCodec {

	/**
	 * Version 1: no headers.
	 */
	static final int V1 = 1;

	/**
	 * Version 2: a count of headers, then each header's name and value, before the
	 * payload.
	 */
	static final int V2 = 2;

	/**
	 * Version 3: an envelope of another version after the position of its message in its
	 * stream's history, which the script that publishes it writes: the version byte, the
	 * epoch and the offset, each followed by a line feed.
	 */
	static final int V3 = 3;

	private static final int PROBE = 127;

	private EnvelopeCodec() {
	}

	static byte[] encode(Envelope envelope, String origin) {
		return encode(envelope.kind().ordinal(), envelope.destination(), envelope.headers(), envelope.data(), origin);
	}

	/**
	 * A probe an instance sends itself to check its subscription end to end.
	 * @param nonce tells the probes apart
	 * @param origin the instance
	 * @return the encoded probe
	 */
	static byte[] probe(String nonce, String origin) {
		return encode(PROBE, Destination.connection(nonce), Map.of(), new byte[0], origin);
	}

	private static byte[] encode(int kind, Destination destination, Map<String, String> headers, byte[] payload,
			String origin) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 64);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeByte(headers.isEmpty() ? V1 : V2);
			out.writeByte(kind);
			out.writeByte(destination.type().ordinal());
			out.writeUTF(origin);
			writeStrings(out, destination.names());
			writeStrings(out, destination.except());
			if (!headers.isEmpty()) {
				out.writeShort(headers.size());
				for (Map.Entry<String, String> header : headers.entrySet()) {
					out.writeUTF(header.getKey());
					out.writeUTF(header.getValue());
				}
			}
			out.write(payload);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	private static void writeStrings(DataOutputStream out, java.util.Collection<String> strings) throws IOException {
		out.writeShort(strings.size());
		for (String string : strings) {
			out.writeUTF(string);
		}
	}

	/**
	 * Decodes what another instance published.
	 * @param bytes the bytes
	 * @return the envelope, its origin, and the probe nonce for probes
	 */
	static Decoded decode(byte[] bytes) {
		if (bytes.length > 0 && bytes[0] == V3) {
			return decodeStamped(bytes);
		}
		try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
			int version = in.readUnsignedByte();
			if (version != V1 && version != V2) {
				throw new IllegalArgumentException("Unknown envelope version " + version);
			}
			int kind = in.readUnsignedByte();
			Destination.Type type = Destination.Type.values()[in.readUnsignedByte()];
			String origin = in.readUTF();
			List<String> names = readStrings(in);
			Set<String> except = new HashSet<>(readStrings(in));
			Map<String, String> headers = (version == V1) ? Map.of() : readHeaders(in);
			byte[] payload = in.readAllBytes();
			if (kind == PROBE) {
				return new Decoded(null, origin, names.get(0));
			}
			Envelope envelope = new Envelope(Envelope.Kind.values()[kind], new Destination(type, names, except),
					payload, headers);
			return new Decoded(envelope, origin, null);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Malformed envelope", ex);
		}
	}

	// Version 3: the position the send script gave the message in its stream's history,
	// the epoch and the offset on lines, before an envelope of another version.
	private static Decoded decodeStamped(byte[] bytes) {
		int epochEnd = indexOf(bytes, 1);
		int offsetEnd = (epochEnd > 0) ? indexOf(bytes, epochEnd + 1) : -1;
		if (offsetEnd < 0) {
			throw new IllegalArgumentException("Malformed envelope: no position");
		}
		String epoch = new String(bytes, 1, epochEnd - 1, StandardCharsets.UTF_8);
		String offset = new String(bytes, epochEnd + 1, offsetEnd - epochEnd - 1, StandardCharsets.UTF_8);
		Decoded decoded = decode(Arrays.copyOfRange(bytes, offsetEnd + 1, bytes.length));
		Envelope envelope = decoded.envelope();
		if (envelope == null) {
			return decoded;
		}
		Map<String, String> headers = new LinkedHashMap<>(envelope.headers());
		headers.put(Envelope.STREAM_EPOCH, epoch);
		headers.put(Envelope.STREAM_OFFSET, offset);
		return new Decoded(envelope.withHeaders(headers), decoded.origin(), null);
	}

	private static int indexOf(byte[] bytes, int from) {
		for (int i = from; i < bytes.length; i++) {
			if (bytes[i] == '\n') {
				return i;
			}
		}
		return -1;
	}

	private static List<String> readStrings(DataInputStream in) throws IOException {
		int count = in.readUnsignedShort();
		List<String> strings = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			strings.add(in.readUTF());
		}
		return strings;
	}

	private static Map<String, String> readHeaders(DataInputStream in) throws IOException {
		int count = in.readUnsignedShort();
		Map<String, String> headers = new LinkedHashMap<>((int) (count / 0.75f) + 1);
		for (int i = 0; i < count; i++) {
			headers.put(in.readUTF(), in.readUTF());
		}
		return headers;
	}

	/**
	 * A decoded envelope or probe.
	 *
	 * @param envelope the envelope, {@code null} for a probe
	 * @param origin the instance that published it
	 * @param probe the nonce of a probe, {@code null} for an envelope
	 */
	record Decoded(@Nullable Envelope envelope, String origin, @Nullable String probe) {

	}

}
