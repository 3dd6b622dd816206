package dev.switchboard.docs;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;

import dev.switchboard.Switchboard;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Replays the transcripts of docs/http-send-api.md: calls with a key and with Spring
 * Security's HTTP Basic, what a connected user receives, and the startup that is refused
 * when nothing authenticates the callers.
 */
@ExtendWith(OutputCaptureExtension.class)
class HttpSendApiDocsTests {

	/**
	 * The key the page prints.
	 */
	static final String KEY = "q8Vd2Lx7Rm4Tz9Kp1Wc6Hn3B";

	private final DocsApps apps = new DocsApps();

	@AfterEach
	void stopApps() {
		this.apps.close();
	}

	@Test
	@Transcribes({ "http-send-key", "http-send-received" })
	void aCallWithTheKeyReachesTheUser() {
		ConfigurableApplicationContext app = start(List.of("--switchboard.http-api.key=" + KEY));
		try (WsClient ann = connect(app, "ann")) {
			awaitOnline(app, "ann");
			Transcript.named("http-send-key").curl(DocsApps.port(app));
			Transcript.named("http-send-received").converse(ann);
		}
	}

	@Test
	@Transcribes("http-send-basic")
	void aCallerSpringSecurityAuthenticatesSendsWithTheRole() {
		ConfigurableApplicationContext app = start(List.of("--switchboard.http-api.authority=ROLE_SENDER"),
				SendApiSecurityConfiguration.class, Senders.class);
		try (WsClient ann = connect(app, "ann"); WsClient bob = connect(app, "bob")) {
			awaitOnline(app, "ann");
			awaitOnline(app, "bob");
			Transcript.named("http-send-basic").curl(DocsApps.port(app));
			assertThat(ann.nextJson().get("text").asString()).isEqualTo("Deploying now");
			assertThat(bob.nextJson().get("text").asString()).isEqualTo("Deploying now");
		}
	}

	@Test
	@Transcribes("http-send-refused")
	void theApiWithoutAKeyOrSpringSecurityStopsTheStartup(CapturedOutput output) {
		assertThatException()
			.isThrownBy(
					() -> this.apps.start(
							List.of(DocsTranscriptsTests.DocsApplication.class, RoomSocket.class,
									TokenAuthenticator.class, DocsTranscriptsTests.Users.class),
							List.of("--switchboard.http-api.enabled=true")));
		Transcript.named("http-send-refused").expectOutput(output);
	}

	private ConfigurableApplicationContext start(List<String> properties, Class<?>... added) {
		List<Class<?>> sources = new ArrayList<>(List.of(DocsTranscriptsTests.DocsApplication.class, RoomSocket.class,
				TokenAuthenticator.class, DocsTranscriptsTests.Users.class));
		sources.addAll(List.of(added));
		List<String> args = new ArrayList<>(List.of("--switchboard.http-api.enabled=true"));
		args.addAll(properties);
		return this.apps.start(sources, args);
	}

	private static WsClient connect(ConfigurableApplicationContext app, String user) {
		return WsClient.connect(URI.create("ws://localhost:" + DocsApps.port(app) + "/ws/rooms/lobby"), (headers) -> {
			headers.set("Authorization", "Bearer " + user);
			headers.set("Origin", "https://chat.example.com");
		});
	}

	private static void awaitOnline(ConfigurableApplicationContext app, String user) {
		Switchboard switchboard = app.getBean(Switchboard.class);
		Awaitility.await()
			.atMost(WsClient.TIMEOUT)
			.until(() -> switchboard.membersOf("lobby")
				.filter((member) -> user.equals(member.user()))
				.hasElements()
				.block(WsClient.TIMEOUT));
	}

	/**
	 * Spring Security, which Boot's starter would turn on, and a sender for the page's
	 * call.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableWebFluxSecurity
	static class Senders {

		@Bean
		MapReactiveUserDetailsService senders() {
			return new MapReactiveUserDetailsService(
					User.withUsername("deploy-bot").password("{noop}deploy-password").roles("SENDER").build());
		}

	}

}
