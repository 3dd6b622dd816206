package dev.switchboard.demo;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TokenServiceTests {

	private static final String SECRET = "a-secret-of-at-least-32-characters";

	private static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");

	private final TokenService tokens = at(NOW);

	@Test
	void signedTokenNamesItsUser() {
		assertThat(this.tokens.verify(this.tokens.sign("alice"))).hasValue("alice");
	}

	@Test
	void tokenIsValidOnAnyInstanceWithTheSameSecret() {
		assertThat(at(NOW).verify(this.tokens.sign("alice"))).hasValue("alice");
	}

	@Test
	void tokenIsRejectedOnceExpired() {
		String token = this.tokens.sign("alice");
		assertThat(at(NOW.plus(Duration.ofHours(1)).minusSeconds(1)).verify(token)).hasValue("alice");
		assertThat(at(NOW.plus(Duration.ofHours(1))).verify(token)).isEmpty();
	}

	@Test
	void tokenWithAnotherNameIsRejected() {
		String token = this.tokens.sign("alice");
		String forged = encode("mallory|" + NOW.plus(Duration.ofDays(1)).getEpochSecond())
				+ token.substring(token.indexOf('.'));
		assertThat(this.tokens.verify(forged)).isEmpty();
	}

	@Test
	void tokenWithATamperedSignatureIsRejected() {
		String token = this.tokens.sign("alice");
		int first = token.indexOf('.') + 1;
		char replaced = (token.charAt(first) == 'A') ? 'B' : 'A';
		String tampered = token.substring(0, first) + replaced + token.substring(first + 1);
		assertThat(this.tokens.verify(tampered)).isEmpty();
	}

	@Test
	void tokenSignedWithAnotherSecretIsRejected() {
		TokenService other = new TokenService("another-secret-of-at-least-32-chars", Duration.ofHours(1),
				Clock.fixed(NOW, ZoneOffset.UTC));
		assertThat(this.tokens.verify(other.sign("alice"))).isEmpty();
	}

	@Test
	void malformedTokensAreRejected() {
		assertThat(this.tokens.verify("")).isEmpty();
		assertThat(this.tokens.verify("no-dot")).isEmpty();
		assertThat(this.tokens.verify("not base64!.not base64!")).isEmpty();
		assertThat(this.tokens.verify(".")).isEmpty();
	}

	@Test
	void tokenIsMadeOfCharactersASubprotocolMayCarry() {
		assertThat(this.tokens.sign("alice")).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
	}

	@Test
	void shortSecretIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TokenService("too-short", Duration.ofHours(1), Clock.systemUTC()))
			.withMessageContaining("demo.token.secret");
	}

	private static TokenService at(Instant instant) {
		return new TokenService(SECRET, Duration.ofHours(1), Clock.fixed(instant, ZoneOffset.UTC));
	}

	private static String encode(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

}
