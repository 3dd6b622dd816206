package dev.switchboard.docs;

import java.lang.reflect.Method;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

import dev.switchboard.docs.MuteInterceptor.MuteList;
import dev.switchboard.docs.ReportSocket.ReportStore;
import dev.switchboard.docs.TokenAuthenticator.Claims;
import dev.switchboard.docs.TokenAuthenticator.TokenVerifier;
import dev.switchboard.docs.start.GettingStartedTests;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Replays the transcripts that the docs print (what a client sends and gets, what curl
 * prints, what the log says) against the documented code, started as an application, and
 * checks that every such block of the docs is replayed by a test. See {@link Transcript}
 * for how a transcript is read.
 */
@ExtendWith(OutputCaptureExtension.class)
class DocsTranscriptsTests {

	/**
	 * The test classes whose {@link Transcribes} methods replay the docs' transcripts.
	 */
	static final List<Class<?>> REPLAYING = List.of(DocsTranscriptsTests.class, GettingStartedTests.class,
			OperationsDocsTests.class, HttpSendApiDocsTests.class);

	private final DocsApps apps = new DocsApps();

	@AfterEach
	void stopApps() {
		this.apps.close();
	}

	@Test
	void everyBlockThatShowsBehaviourIsATranscript() {
		List<String> unmarked = Transcript.allBlocks()
			.stream()
			.filter((block) -> block.showsBehaviour() && block.name() == null)
			.map((block) -> block.location() + ": shows a conversation or a command; mark it"
					+ " <!-- transcript: name --> and replay it in a test")
			.toList();
		assertThat(unmarked).isEmpty();
	}

	@Test
	void everyTranscriptIsReplayedByATest() {
		Set<String> replayed = new TreeSet<>();
		for (Class<?> type : REPLAYING) {
			for (Method method : type.getDeclaredMethods()) {
				Transcribes transcribes = method.getAnnotation(Transcribes.class);
				if (transcribes != null) {
					assertThat(method.isAnnotationPresent(Test.class)).as("%s is a @Test", method).isTrue();
					replayed.addAll(Arrays.asList(transcribes.value()));
				}
			}
		}
		assertThat(replayed).as("transcripts replayed by tests")
			.containsExactlyInAnyOrderElementsOf(Transcript.blocks().keySet());
	}

	@Test
	@Transcribes({ "orders", "error-reply" })
	void orderSocketRepliesAsPrinted() {
		ConfigurableApplicationContext app = start(OrderSocket.class);
		try (WsClient client = connect(app, "/ws/orders")) {
			Transcript.named("orders").converse(client);
			Transcript reply = Transcript.named("error-reply");
			client.send("{\"type\":\"place\",\"id\":8,\"item\":\"tea\",\"quantity\":0}");
			reply.assertMatches(String.join("\n", reply.lines()), client.nextText());
		}
	}

	@Test
	@Transcribes("payments")
	void paymentSocketMapsItsExceptionToAReply() {
		ConfigurableApplicationContext app = start(PaymentSocket.class);
		try (WsClient client = connect(app, "/ws/payments")) {
			Transcript.named("payments").converse(client);
		}
	}

	@Test
	@Transcribes("second-payload")
	void aSecondPayloadStopsTheStartup(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(dev.switchboard.docs.invalid.OrderSocket.class));
		Transcript.named("second-payload").expectOutput(output);
	}

	@Test
	@Transcribes("kick")
	void kickIsForModeratorsOnly() {
		ConfigurableApplicationContext app = start(ModerationSocket.class, TokenAuthenticator.class, Users.class);
		try (WsClient client = connect(app, "/ws/moderation", "ann")) {
			Transcript.named("kick").converse(client);
		}
	}

	@Test
	@Transcribes({ "internal-error", "internal-error-log" })
	void anUnexpectedExceptionIsAnInternalErrorAndLogged(CapturedOutput output) {
		ConfigurableApplicationContext app = start(ReportSocket.class, FailingReportStore.class);
		try (WsClient client = connect(app, "/ws/reports")) {
			Transcript.named("internal-error").converse(client);
		}
		Transcript.named("internal-error-log").expectOutput(output);
	}

	@Test
	@Transcribes("admin-console-refused")
	void theAdminConsoleRefusesAUserWithoutTheRole() {
		ConfigurableApplicationContext app = start(AdminConsoleSocket.class, AdminInterceptor.class,
				TokenAuthenticator.class, Users.class);
		Transcript transcript = Transcript.named("admin-console-refused");
		assertThat(transcript.lines()).hasSize(2);
		assertThat(transcript.lines().get(0))
			.isEqualTo("GET /ws/admin-console   Authorization: Bearer <a token of a user without the role>");
		try (RawWebSocket handshake = RawWebSocket.handshake(DocsApps.port(app), "/ws/admin-console",
				Map.of("Authorization", "Bearer ann"))) {
			String status = handshake.responseHead().split(" ", 3)[1];
			transcript.assertMatches(transcript.lines().get(1).substring(2), status + " " + handshake.responseBody());
		}
	}

	@Test
	@Transcribes("muted")
	void aMutedUserGetsAnErrorReply() {
		ConfigurableApplicationContext app = start(LoungeSocket.class, MuteInterceptor.class, TokenAuthenticator.class,
				Users.class);
		try (WsClient client = connect(app, "/ws/lounge?nickname=troll", "troll")) {
			assertThat(client.nextJson().get("nickname").asString()).isEqualTo("troll");
			Transcript.named("muted").converse(client);
		}
	}

	@Test
	@Transcribes("ban")
	void banIsForModeratorsOnly() {
		ConfigurableApplicationContext app = start(ModerationSocket.class, RouteAccessInterceptor.class,
				TokenAuthenticator.class, Users.class);
		try (WsClient client = connect(app, "/ws/moderation", "ann")) {
			Transcript.named("ban").converse(client);
		}
		try (WsClient moderator = connect(app, "/ws/moderation", "mod")) {
			moderator.send("{\"type\":\"ban\",\"id\":3,\"user\":\"ann\"}");
			assertThat(moderator.nextJson().get("user").asString()).isEqualTo("ann");
		}
	}

	private ConfigurableApplicationContext start(Class<?>... components) {
		List<Class<?>> sources = new ArrayList<>(List.of(DocsApplication.class));
		sources.addAll(Arrays.asList(components));
		return this.apps.start(sources, List.of());
	}

	private static WsClient connect(ConfigurableApplicationContext app, String path) {
		return WsClient.connect(URI.create("ws://localhost:" + DocsApps.port(app) + path));
	}

	private static WsClient connect(ConfigurableApplicationContext app, String path, String token) {
		return WsClient.connect(URI.create("ws://localhost:" + DocsApps.port(app) + path),
				(headers) -> headers.set("Authorization", "Bearer " + token));
	}

	/**
	 * An application of the documented beans that it is given, and of nothing else.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class DocsApplication {

	}

	/**
	 * The users of the transcripts: a token is the user's name; {@code mod} is a
	 * moderator, {@code troll} is muted, nobody is banned.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Users {

		@Bean
		TokenVerifier tokenVerifier() {
			return (token) -> Mono.just(new Claims(token, token.equals("mod") ? Set.of("moderator") : Set.of()));
		}

		@Bean
		ModerationSocket.Moderators moderators() {
			return new ModerationSocket.Moderators() {

				@Override
				public boolean isBanned(String user) {
					return false;
				}

				@Override
				public boolean isModerator(String user) {
					return user.equals("mod");
				}

			};
		}

		@Bean
		MuteList muteList() {
			return (user) -> Mono.just(user.equals("troll"));
		}

	}

	/**
	 * A report store that is down.
	 */
	@Configuration(proxyBeanMethods = false)
	static class FailingReportStore {

		@Bean
		ReportStore reportStore() {
			return (name) -> {
				throw new IllegalStateException("the report store is down");
			};
		}

	}

}
