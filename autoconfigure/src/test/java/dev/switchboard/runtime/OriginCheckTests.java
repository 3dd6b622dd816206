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
		assertThat(OriginCheck.allows(request("https://chat.example.com"), List.of(), true)).isTrue();
		assertThat(OriginCheck.allows(request("https://chat.example.com:443"), List.of(), true)).isTrue();
		assertThat(OriginCheck.allows(request("http://chat.example.com"), List.of(), true)).isFalse();
		assertThat(OriginCheck.allows(request("https://evil.example.com"), List.of(), true)).isFalse();
	}

	@Test
	void matchesConfiguredOriginsExactly() {
		List<String> allowed = List.of("https://app.example.com");
		assertThat(OriginCheck.allows(request("https://APP.example.com"), allowed, true)).isTrue();
		assertThat(OriginCheck.allows(request("https://app.example.com.evil.com"), allowed, true)).isFalse();
		assertThat(OriginCheck.allows(request("https://evilapp.example.com"), allowed, true)).isFalse();
		assertThat(OriginCheck.allows(request("https://app.example.com:8443"), allowed, true)).isFalse();
		assertThat(OriginCheck.allows(request("http://app.example.com"), allowed, true)).isFalse();
	}

	@Test
	void allowsAnyOriginWithAWildcard() {
		assertThat(OriginCheck.allows(request("https://anywhere.example"), List.of("*"), true)).isTrue();
	}

	@Test
	void treatsOpaqueOriginsAsForeignUnlessListed() {
		assertThat(OriginCheck.allows(request("null"), List.of(), true)).isFalse();
		assertThat(OriginCheck.allows(request("null"), List.of("null"), true)).isTrue();
	}

	@Test
	void decidesOnAMissingOriginByConfiguration() {
		MockServerHttpRequest request = MockServerHttpRequest.get("https://chat.example.com/ws/chat").build();
		assertThat(OriginCheck.allows(request, List.of(), true)).isTrue();
		assertThat(OriginCheck.allows(request, List.of(), false)).isFalse();
	}

}
