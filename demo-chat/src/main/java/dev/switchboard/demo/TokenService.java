package dev.switchboard.demo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.util.Assert;
import reactor.core.publisher.Mono;

import dev.switchboard.SocketAuthenticator;
import dev.switchboard.SocketHandshake;

/**
 * Signed, stateless sign-in tokens: {@code base64url("name|expiry")} and a dot, then the
 * HMAC-SHA256 of that text. Any instance that knows the secret verifies a token,
 * whichever instance issued it, without a session to share. A signed-out token stays
 * valid until it expires: the page forgets it.
 */
class TokenService implements SocketAuthenticator {

	private static final String ALGORITHM = "HmacSHA256";

	private final SecretKeySpec key;

	private final Duration expiry;

	private final Clock clock;

	TokenService(String secret, Duration expiry, Clock clock) {
		Assert.isTrue(secret.length() >= 32, "demo.token.secret must be at least 32 characters long");
		this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
		this.expiry = expiry;
		this.clock = clock;
	}

	String sign(String user) {
		long expires = this.clock.instant().plus(this.expiry).getEpochSecond();
		String payload = encode((user + "|" + expires).getBytes(StandardCharsets.UTF_8));
		return payload + "." + encode(mac(payload));
	}

	/**
	 * The user of a token, empty when the token is malformed, tampered with, signed with
	 * another secret or expired.
	 */
	Optional<String> verify(String token) {
		int dot = token.indexOf('.');
		if (dot < 0) {
			return Optional.empty();
		}
		String payload = token.substring(0, dot);
		try {
			byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
			if (!MessageDigest.isEqual(signature, mac(payload))) {
				return Optional.empty();
			}
			String text = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
			int bar = text.lastIndexOf('|');
			long expires = Long.parseLong(text.substring(bar + 1));
			boolean valid = bar > 0 && this.clock.instant().getEpochSecond() < expires;
			return valid ? Optional.of(text.substring(0, bar)) : Optional.empty();
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	// The handshake's token, from the subprotocol the page offers after
	// "switchboard.token": the principal's name becomes the connection's user.
	@Override
	public Mono<Principal> authenticate(String token, SocketHandshake handshake) {
		return Mono.justOrEmpty(verify(token)).map(ChatUser::new);
	}

	private byte[] mac(String payload) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.key);
			return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

	private static String encode(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private record ChatUser(String name) implements Principal {

		@Override
		public String getName() {
			return this.name;
		}

	}

}
