package dev.switchboard.runtime;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.support.GenericConversionService;
import tools.jackson.databind.JsonNode;

import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with a second {@code ConversionService} bean, next to WebFlux's: with no
 * single one to choose, parameters are converted with Boot's shared
 * {@code ApplicationConversionService}, which knows the usual types but not the
 * application's formatters.
 */
@Import(ConversionServiceFallbackTests.SecondConversionService.class)
class ConversionServiceFallbackTests extends SocketTestSupport {

	@Test
	void convertsWithBootsSharedConversionServiceWhenTheApplicationHasNoSingleOne() {
		try (WsClient client = connect("/ws/rooms/lobby/arguments?n=7&user=alice")) {
			assertThat(client.nextJson().get("number").asInt()).isEqualTo(7);
		}
		try (WsClient client = connect("/ws/probe?shade=teal:3")) {
			client.send("{\"type\":\"shade\"}");
			JsonNode error = client.nextJson();
			assertThat(error.get("code").asString()).isEqualTo("bad-request");
			assertThat(error.get("error").asString()).isEqualTo("invalid value for query parameter 'shade'");
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SecondConversionService {

		// Converts nothing: a number that converts proves that it is not the one used.
		@Bean
		ConversionService secondConversionService() {
			return new GenericConversionService();
		}

	}

}
