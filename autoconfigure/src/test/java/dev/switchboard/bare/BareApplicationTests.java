package dev.switchboard.bare;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.switchboard.test.AppInstance;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application without any of Switchboard's optional modules starts without a WARN
 * line: the auto-configurations name those modules' classes by name only
 * (docs/operations.md, Logs).
 */
class BareApplicationTests {

	private static final Pattern WARN = Pattern.compile("^\\S+\\s+(WARN|ERROR)\\s");

	// The jars of the optional modules and of what only they bring.
	private static final List<String> OPTIONAL_JARS = List.of("spring-boot-actuator", "spring-boot-starter-actuator",
			"spring-boot-health", "spring-boot-micrometer", "micrometer-core", "micrometer-registry",
			"spring-boot-data-redis", "spring-boot-starter-data-redis", "spring-data-redis", "spring-data-keyvalue",
			"lettuce-core", "spring-boot-security", "spring-boot-starter-security", "spring-security-",
			"spring-boot-validation", "spring-boot-starter-validation", "hibernate-validator",
			"jakarta.validation-api");

	// The request id of the first message of a connection, as Boot's correlation pattern
	// prints it from the MDC.
	private static final Pattern FIRST_REQUEST = Pattern
		.compile("\\[[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{16}:1\\] .*: Echoing a message$");

	@Test
	void startsAndServesWithoutAWarningWhenNoOptionalModuleIsThere() {
		try (AppInstance app = AppInstance.start(BareApplication.class, properties(),
				BareApplicationTests::isNotOptional)) {
			try (WsClient client = WsClient.connect(app.wsUri("/ws/echo"))) {
				client.send("hello");
				assertThat(client.nextText()).isEqualTo("hello");
			}
			String output = app.output();
			assertThat(output).contains("Optional classes present: []").contains("Switchboard sockets: echo -> ");
			assertThat(output.lines().filter((line) -> WARN.matcher(line).find())).as("WARN and ERROR lines of %s", app)
				.isEmpty();
			assertThat(output).doesNotContain("Failed to introspect");
		}
	}

	@Test
	void printsTheRequestIdOfAHandlersLogLineWithBootsCorrelationPattern() {
		try (AppInstance app = AppInstance.start(BareApplication.class, properties(),
				BareApplicationTests::isNotOptional)) {
			try (WsClient client = WsClient.connect(app.wsUri("/ws/echo"))) {
				client.send("hello");
				assertThat(client.nextText()).isEqualTo("hello");
			}
			Awaitility.await()
				.atMost(WsClient.TIMEOUT)
				.untilAsserted(
						() -> assertThat(app.output().lines().filter((line) -> FIRST_REQUEST.matcher(line).find()))
							.as("the handler's line in %s", app)
							.hasSize(1));
		}
	}

	private static Map<String, String> properties() {
		return Map.of("spring.main.banner-mode", "off", "logging.pattern.correlation",
				"[%X{switchboard.requestId:-}] ");
	}

	private static boolean isNotOptional(Path entry) {
		String name = entry.getFileName().toString();
		return OPTIONAL_JARS.stream().noneMatch(name::startsWith);
	}

}
