package dev.switchboard.runtime;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

class OriginCheckTests {

	private static MockServerHttpRequest request(String origin) {
		return MockServerHttpRequest.get("https://chat.example.com/ws/chat").header("Origin", origin).build();
	}

	@Test
	void allowsOnlyTheSameOriginWhenNoneIsConfigured() {
		assertThat(new OriginCheck(List.of(), true).allows(request("https://chat.example.com"))).isTrue();
		assertThat(new OriginCheck(List.of(), true).allows(request("https://chat.example.com:443"))).isTrue();
		assertThat(new OriginCheck(List.of(), true).allows(request("http://chat.example.com"))).isFalse();
		assertThat(new OriginCheck(List.of(), true).allows(request("https://evil.example.com"))).isFalse();
	}

	@Test
	void takesWsForHttpAndWssForHttps() {
		assertThat(new OriginCheck(List.of(), true).allows(request("wss://chat.example.com"))).isTrue();
		assertThat(new OriginCheck(List.of(), true).allows(request("ws://chat.example.com"))).isFalse();
		List<String> allowed = List.of("http://app.example.com");
		assertThat(new OriginCheck(allowed, true).allows(request("ws://app.example.com"))).isTrue();
		assertThat(new OriginCheck(allowed, true).allows(request("wss://app.example.com"))).isFalse();
	}

	@Test
	void matchesConfiguredOriginsExactly() {
		List<String> allowed = List.of("https://app.example.com");
		assertThat(new OriginCheck(allowed, true).allows(request("https://APP.example.com"))).isTrue();
		assertThat(new OriginCheck(allowed, true).allows(request("https://app.example.com.evil.com"))).isFalse();
		assertThat(new OriginCheck(allowed, true).allows(request("https://evilapp.example.com"))).isFalse();
		assertThat(new OriginCheck(allowed, true).allows(request("https://app.example.com:8443"))).isFalse();
		assertThat(new OriginCheck(allowed, true).allows(request("http://app.example.com"))).isFalse();
	}

	@Test
	void allowsAnyOriginWithAWildcard() {
		assertThat(new OriginCheck(List.of("*"), true).allows(request("https://anywhere.example"))).isTrue();
	}

	@Test
	void treatsOpaqueOriginsAsForeignUnlessListed() {
		assertThat(new OriginCheck(List.of(), true).allows(request("null"))).isFalse();
		assertThat(new OriginCheck(List.of("null"), true).allows(request("null"))).isTrue();
	}

	@Test
	void decidesOnAMissingOriginByConfiguration() {
		MockServerHttpRequest request = MockServerHttpRequest.get("https://chat.example.com/ws/chat").build();
		assertThat(new OriginCheck(List.of(), true).allows(request)).isTrue();
		assertThat(new OriginCheck(List.of(), false).allows(request)).isFalse();
	}

}
