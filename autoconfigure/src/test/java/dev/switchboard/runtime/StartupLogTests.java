package dev.switchboard.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.fixtures.SocketsTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class StartupLogTests {

	@Test
	void logsEverySocketWithItsUrlWhenTheServerStarts(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SocketsTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			assertThat(output).contains("Switchboard sockets: ")
				.contains("routing -> ws://localhost:" + port + "/ws/routing")
				.contains("arguments -> ws://localhost:" + port + "/ws/rooms/{room}/arguments");
		}
	}

}
