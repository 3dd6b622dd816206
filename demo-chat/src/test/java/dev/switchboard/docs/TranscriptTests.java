package dev.switchboard.docs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How a transcript's line is compared with what the application did: what passes, and
 * what fails.
 */
class TranscriptTests {

	@Test
	void comparesJsonByValueAndFieldOrderWhateverTheSpaces() {
		Transcript transcript = Transcript.of();
		assertThatCode(() -> transcript.assertMatches("{\"a\": 1, \"b\": \"x\"}", "{\"a\":1,\"b\":\"x\"}"))
			.doesNotThrowAnyException();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> transcript.assertMatches("{\"a\":1,\"b\":\"x\"}", "{\"b\":\"x\",\"a\":1}"));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> transcript.assertMatches("{\"a\":1}", "{\"a\":2}"));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> transcript.assertMatches("{\"a\":1}", "{\"a\":1,\"b\":null}"));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> transcript.assertMatches("{\"a\":1}", "not json"));
	}

	@Test
	void readsSampleInstantsAndConnectionIdsAsShapes() {
		Transcript transcript = Transcript.of();
		assertThatCode(() -> transcript.assertMatches("{\"time\":\"2025-06-01T10:15:30.123456Z\"}",
				"{\"time\":\"2026-12-03T15:45:01.5Z\"}"))
			.doesNotThrowAnyException();
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> transcript
			.assertMatches("{\"time\":\"2025-06-01T10:15:30.123456Z\"}", "{\"time\":\"yesterday\"}"));
		assertThatCode(() -> transcript.assertMatches("{\"from\":\"k3x9q0b2mz.vR8nXo2LQeC1dA7w\"}",
				"{\"from\":\"d8vnu96su1.XZ_le4FJJhXiCHwF\"}"))
			.doesNotThrowAnyException();
		assertThatExceptionOfType(AssertionError.class).isThrownBy(
				() -> transcript.assertMatches("{\"from\":\"k3x9q0b2mz.vR8nXo2LQeC1dA7w\"}", "{\"from\":\"ann\"}"));
	}

	@Test
	void bindsAnElidedStringToItsFirstValue() {
		Transcript transcript = Transcript.of();
		transcript.assertMatches("{\"orderId\":\"5b0c...\"}", "{\"orderId\":\"0f7a-11\"}");
		assertThatCode(() -> transcript.assertMatches("{\"orderId\":\"5b0c...\"}", "{\"orderId\":\"0f7a-11\"}"))
			.doesNotThrowAnyException();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> transcript.assertMatches("{\"orderId\":\"5b0c...\"}", "{\"orderId\":\"other\"}"));
		assertThat(transcript.substitute("{\"orderId\":\"5b0c...\"}")).isEqualTo("{\"orderId\":\"0f7a-11\"}");
	}

	@Test
	void readsDotsInTextAsAnyTextAndBoundSamplesAsTheirValue() {
		Transcript transcript = Transcript.of().bind("8080", "41234");
		assertThatCode(() -> transcript.assertMatches("ERROR ... failed for connection k3x9q0b2mz.vR8nXo2LQeC1dA7w",
				"ERROR 12 --- [main] x : failed for connection d8vnu96su1.XZ_le4FJJhXiCHwF"))
			.doesNotThrowAnyException();
		assertThatCode(() -> transcript.assertMatches("ws://localhost:8080/ws/chat", "ws://localhost:41234/ws/chat"))
			.doesNotThrowAnyException();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> transcript.assertMatches("ws://localhost:8080/ws/chat", "ws://localhost:8080/ws/chat"));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> transcript.assertMatches("unsupported message: hello", "unsupported message: hell"));
	}

}
