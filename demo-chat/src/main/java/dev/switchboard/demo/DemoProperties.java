package dev.switchboard.demo;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The demo's settings, under {@code demo.*} in {@code application.yml}.
 *
 * @param token how sign-in tokens are signed
 * @param rooms the rooms that always exist
 * @param history how much of each room is kept
 */
@ConfigurationProperties("demo")
record DemoProperties(Token token, List<String> rooms, History history) {

	/**
	 * @param secret signs the tokens; the same on every instance
	 * @param expiry how long a token is valid
	 */
	record Token(String secret, Duration expiry) {
	}

	/**
	 * @param size messages kept per room, sent to whoever joins it
	 * @param keyPrefix prefix of the history's keys in Redis
	 */
	record History(int size, String keyPrefix) {
	}

}
