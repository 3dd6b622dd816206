package dev.switchboard.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AppInstanceTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(WsClient.TIMEOUT).build();

	@Test
	void servesFromAProcessOfItsOwnUntilKilled() throws Exception {
		try (AppInstance app = AppInstance.start(PidApplication.class, Map.of())) {
			assertThat(app.port()).isPositive();
			assertThat(app.pid()).isNotEqualTo(ProcessHandle.current().pid());
			assertThat(get(app.uri("/pid"))).isEqualTo(String.valueOf(app.pid()));
			app.kill();
			assertThat(app.isAlive()).isFalse();
			assertThat(ProcessHandle.of(app.pid())).isEmpty();
		}
	}

	@Test
	void passesPropertiesAndStopsGracefully() throws Exception {
		try (AppInstance app = AppInstance.start(PidApplication.class, Map.of("greeting", "bonjour"))) {
			assertThat(get(app.uri("/greeting"))).isEqualTo("bonjour");
			app.stop();
			assertThat(app.isAlive()).isFalse();
			assertThat(app.output()).contains("Netty started on port " + app.port());
		}
	}

	@Test
	void reportsTheOutputOfAnApplicationThatCannotStart() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> AppInstance.start(PidApplication.class, Map.of("server.port", "not-a-port")))
			.withMessageContaining("exited with code 1 before it served")
			.withMessageContaining("not-a-port");
	}

	private String get(URI uri) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(WsClient.TIMEOUT).build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

}
