package dev.switchboard.bare;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.util.ClassUtils;

import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

/**
 * A WebFlux application with one socket and no optional module: no Actuator, Micrometer,
 * Redis, Spring Security or Bean Validation. It logs which of their classes it finds, so
 * that a test sees that it runs without them, and its socket logs a line for each message
 * it echoes.
 */
@SpringBootApplication
public class BareApplication {

	static final List<String> OPTIONAL_CLASSES = List.of(
			"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
			"org.springframework.boot.health.contributor.HealthIndicator",
			"io.micrometer.core.instrument.MeterRegistry",
			"org.springframework.data.redis.connection.RedisConnectionFactory",
			"org.springframework.security.core.Authentication", "jakarta.validation.Validator");

	public static void main(String[] args) {
		Log logger = LogFactory.getLog(BareApplication.class);
		logger.info("Optional classes present: " + OPTIONAL_CLASSES.stream()
			.filter((name) -> ClassUtils.isPresent(name, BareApplication.class.getClassLoader()))
			.toList());
		SpringApplication.run(BareApplication.class, args);
	}

	@Socket("echo")
	static class EchoSocket {

		private static final Log logger = LogFactory.getLog(EchoSocket.class);

		@OnMessage
		String echo(String text) {
			logger.info("Echoing a message");
			return text;
		}

	}

}
