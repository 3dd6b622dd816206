package dev.switchboard.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UTF-8 check of text messages agrees with the JDK's strict decoder, whole and split
 * into fragments anywhere.
 */
class Utf8ValidatorTests {

	@Test
	void acceptsEveryLengthOfCharacter() {
		assertThat(check(bytes("aé€😀"))).isTrue();
		assertThat(check(bytes("\u0000\u007f\u0080\u07ff\u0800\uffff\uDBFF\uDFFF"))).isTrue();
	}

	@Test
	void rejectsOverlongFormsSurrogatesAndCodePointsAboveTheLast() {
		assertThat(check(hex("C0 AF"))).isFalse();
		assertThat(check(hex("E0 80 AF"))).isFalse();
		assertThat(check(hex("F0 80 80 AF"))).isFalse();
		assertThat(check(hex("ED A0 80"))).isFalse();
		assertThat(check(hex("F4 90 80 80"))).isFalse();
		assertThat(check(hex("F5 80 80 80"))).isFalse();
		assertThat(check(hex("80"))).isFalse();
		assertThat(check(hex("61 C3 28"))).isFalse();
	}

	@Test
	void rejectsAMessageThatEndsInsideACharacter() {
		assertThat(check(hex("61 E2 82"))).isFalse();
		Utf8Validator validator = new Utf8Validator();
		byte[] euro = hex("E2 82 AC");
		assertThat(validator.update(euro, 0, 2)).isTrue();
		assertThat(validator.finish()).isFalse();
		assertThat(validator.update(euro, 0, 3)).isTrue();
		assertThat(validator.finish()).as("the next message starts afresh").isTrue();
	}

	@Test
	void agreesWithTheJdkOnRandomBytesSplitAnywhere() {
		Random random = new Random(6455);
		byte[] alphabet = hex("41 7F 80 8F 90 9F A0 BF C0 C1 C2 DF E0 E1 EC ED EE EF F0 F1 F3 F4 F5 FF");
		int valid = 0;
		for (int round = 0; round < 200_000; round++) {
			byte[] bytes = new byte[1 + random.nextInt(8)];
			for (int i = 0; i < bytes.length; i++) {
				bytes[i] = alphabet[random.nextInt(alphabet.length)];
			}
			boolean expected = isUtf8(bytes);
			valid += expected ? 1 : 0;
			int split = random.nextInt(bytes.length + 1);
			Utf8Validator validator = new Utf8Validator();
			boolean actual = validator.update(bytes, 0, split) && validator.update(bytes, split, bytes.length);
			actual = validator.finish() && actual;
			if (actual != expected) {
				assertThat(actual).as("%s split at %d", HexBytes.of(bytes), split).isEqualTo(expected);
			}
		}
		assertThat(valid).as("valid sequences among the random ones").isGreaterThan(1000);
	}

	private static boolean check(byte[] bytes) {
		Utf8Validator validator = new Utf8Validator();
		boolean valid = validator.update(bytes, 0, bytes.length);
		return validator.finish() && valid;
	}

	private static boolean isUtf8(byte[] bytes) {
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] hex(String hex) {
		String[] parts = hex.split(" ");
		byte[] bytes = new byte[parts.length];
		for (int i = 0; i < parts.length; i++) {
			bytes[i] = (byte) Integer.parseInt(parts[i], 16);
		}
		return bytes;
	}

	private static final class HexBytes {

		static String of(byte[] bytes) {
			StringBuilder hex = new StringBuilder();
			for (byte b : bytes) {
				hex.append(String.format("%02X ", b));
			}
			return hex.toString().trim();
		}

	}

}
