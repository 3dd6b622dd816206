package dev.switchboard.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import dev.switchboard.ClientErrorException;
import dev.switchboard.CloseReason;
import dev.switchboard.UserOnlineEvent;
import dev.switchboard.test.RawWebSocket;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authentication, authorization, interceptors and limits, with real clients: each refusal
 * checks the status or close code, that the handler did not run, and that other
 * connections were unaffected.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityTests extends SocketTestSupport {

	/**
	 * The status line, the lower-cased headers and the body of a handshake's response.
	 */
	private String handshake(String path, Map<String, String> headers) {
		try (RawWebSocket client = RawWebSocket.handshake(this.port, path, headers)) {
			String head = client.responseHead();
			int endOfStatus = head.indexOf("\r\n");
			return head.substring(0, endOfStatus) + head.substring(endOfStatus).toLowerCase(java.util.Locale.ROOT)
					+ client.responseBody();
		}
	}

	private boolean ran(String event) {
		return !this.events.events(String.class, event::equals).isEmpty();
	}

	@Test
	void authenticatesABearerTokenFromTheAuthorizationHeader() {
		try (WsClient client = WsClient.connect(uri("/ws/secure"),
				(headers) -> headers.set("Authorization", "Bearer token-amy"))) {
			assertThat(client.nextText()).isEqualTo("hello amy");
		}
	}

	@Test
	void authenticatesATokenABrowserOffersAfterTheSubprotocolMarkerAndEchoesOnlyTheMarker(CapturedOutput output) {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws/secure",
				Map.of("Sec-WebSocket-Protocol", "switchboard.token, token-secret-bea"))) {
			assertThat(client.responseHead().toLowerCase(java.util.Locale.ROOT))
				.contains("sec-websocket-protocol: switchboard.token\r\n")
				.doesNotContain("token-secret-bea");
			assertThat(new String(client.readFrame().payload())).isEqualTo("hello secret-bea");
		}
		assertThat(output).doesNotContain("token-secret-bea");
	}

	@Test
	void readsNoTokenFromACookieOrAQueryParameterByDefault() {
		assertThat(handshake("/ws/secure", Map.of("Cookie", "access_token=token-cal"))).startsWith("HTTP/1.1 401")
			.contains("authentication required");
		assertThat(handshake("/ws/secure?access_token=token-cal", Map.of())).startsWith("HTTP/1.1 401")
			.contains("authentication required");
		assertThat(ran("secure connected cal")).isFalse();
	}

	@Test
	void declinesPermessageDeflateByDefault() {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws/limited",
				Map.of("Sec-WebSocket-Extensions", "permessage-deflate"))) {
			assertThat(client.responseHead().toLowerCase(java.util.Locale.ROOT))
				.doesNotContain("sec-websocket-extensions");
			client.sendFrame(true, 0, RawWebSocket.TEXT, "plain".getBytes(StandardCharsets.UTF_8));
			assertThat(new String(client.readFrame().payload(), StandardCharsets.UTF_8)).isEqualTo("echo:plain");
			// A compressed frame, as if the extension had been negotiated.
			client.sendFrame(true, 4, RawWebSocket.TEXT, new byte[] { 0x2a, 0x00 });
			assertThat(client.awaitCloseCode()).isEqualTo(1002);
		}
	}

	@Test
	void refusesAMissingTokenOnASocketThatNeedsAUserWith401() {
		assertThat(handshake("/ws/secure", Map.of())).startsWith("HTTP/1.1 401").contains("www-authenticate: bearer");
		assertThat(ran("secure connected null")).isFalse();
	}

	@Test
	void refusesAnInvalidOrExpiredTokenWith401AndNeverLogsIt(CapturedOutput output) {
		assertThat(handshake("/ws/secure", Map.of("Authorization", "Bearer expired-xyz-123")))
			.startsWith("HTTP/1.1 401");
		assertThat(handshake("/ws/routing", Map.of("Authorization", "Bearer expired-xyz-123")))
			.startsWith("HTTP/1.1 401");
		assertThat(handshake("/ws/secure", Map.of("Authorization", "Bearer explode"))).startsWith("HTTP/1.1 401");
		assertThat(output).doesNotContain("expired-xyz-123").doesNotContain("token service down");
	}

	@Test
	void letsAnInterceptorAuthenticateAHandshakeOnASocketThatNeedsAUser() {
		try (WsClient client = WsClient.connect(uri("/ws/secure"),
				(headers) -> headers.set("X-Api-Key", "key-of-carl"))) {
			assertThat(client.nextText()).isEqualTo("hello carl");
		}
	}

	@Test
	void answersAClientErrorFromAnInterceptorWithTheStatusOfItsCode() {
		assertThat(handshake("/ws/routing", Map.of("X-Api-Key", "banned"))).startsWith("HTTP/1.1 403")
			.contains("banned key");
	}

	@Test
	void tellsAnInterceptorOfTheDisconnectOfAConnectionOnConnectRejected() {
		try (WsClient client = connect("/ws/rejecting?mode=reject")) {
			assertThat(client.awaitClose().getCode()).isEqualTo(1008);
		}
		String connected = this.events.await(String.class, (event) -> event.startsWith("interceptor connected "), 1)
			.get(0);
		String id = connected.substring("interceptor connected ".length());
		this.events.await(String.class, ("interceptor disconnected " + id)::equals, 1);
	}

	@Test
	void acceptsAnonymousConnectionsOnSocketsThatDoNotNeedAUser() {
		assertThat(handshake("/ws/routing", Map.of())).startsWith("HTTP/1.1 101");
	}

	@Test
	void refusesAUserAnInterceptorDoesNotAllowOnTheSocketWith403() {
		try (WsClient bystander = WsClient.connect(uri("/ws/vault"),
				(headers) -> headers.set("Authorization", "Bearer token-admin"))) {
			bystander.next();
			assertThat(handshake("/ws/vault", Map.of("Authorization", "Bearer token-eve"))).startsWith("HTTP/1.1 403")
				.contains("admins only");
			assertThat(ran("vault connected eve")).isFalse();
			bystander.send("still here");
			assertThat(bystander.nextText()).isEqualTo("vault: still here");
		}
	}

	@Test
	void letsInterceptorsEnrichTransformDropAndRefuseMessages() {
		try (WsClient admin = WsClient.connect(uri("/ws/vault"),
				(headers) -> headers.set("Authorization", "Bearer token-admin"))) {
			assertThat(admin.nextText()).isEqualTo("clearance top, greeted true");
			admin.send("the secret plan");
			assertThat(admin.nextText()).isEqualTo("vault: the ****** plan");
			admin.send("{\"id\":4,\"text\":\"classified\"}");
			JsonNode refused = admin.nextJson();
			assertThat(refused.get("code").asString()).isEqualTo("forbidden");
			assertThat(refused.get("id").asInt()).isEqualTo(4);
			admin.send("please ignore me").send("after");
			assertThat(admin.nextText()).isEqualTo("vault: after");
			assertThat(ran("vault handled {\"id\":4,\"text\":\"classified\"}")).isFalse();
			assertThat(ran("vault handled please ignore me")).isFalse();
		}
	}

	@Test
	void forbidsARouteAnInterceptorReservesWithoutRunningItsHandler() {
		try (WsClient admin = WsClient.connect(uri("/ws/vault"),
				(headers) -> headers.set("Authorization", "Bearer token-admin"))) {
			admin.next();
			admin.send("{\"type\":\"shred\",\"id\":8}");
			JsonNode refused = admin.nextJson();
			assertThat(refused.get("code").asString()).isEqualTo("forbidden");
			assertThat(refused.get("error").asString()).isEqualTo("only root may shred");
			assertThat(refused.get("id").asInt()).isEqualTo(8);
			assertThat(ran("vault shredded")).isFalse();
			admin.send("still talking");
			assertThat(admin.nextText()).isEqualTo("vault: still talking");
		}
	}

	@Test
	void answersAnAccessDeniedExceptionFromAnInterceptorWithForbiddenAndTheRequestId() {
		try (WsClient admin = WsClient.connect(uri("/ws/vault"),
				(headers) -> headers.set("Authorization", "Bearer token-admin"))) {
			admin.next();
			admin.send("{\"type\":\"seal\",\"id\":11}");
			JsonNode refused = admin.nextJson();
			assertThat(refused.get("code").asString()).isEqualTo("forbidden");
			assertThat(refused.get("error").asString()).isEqualTo("access denied");
			assertThat(refused.get("id").asInt()).isEqualTo(11);
			assertThat(ran("vault guarded route ran")).isFalse();
			admin.send("still talking");
			assertThat(admin.nextText()).isEqualTo("vault: still talking");
		}
	}

	@Test
	void answersAnUnexpectedInterceptorFailureWithAnInternalErrorAndTheRequestId() {
		try (WsClient admin = WsClient.connect(uri("/ws/vault"),
				(headers) -> headers.set("Authorization", "Bearer token-admin"))) {
			admin.next();
			admin.send("{\"type\":\"melt\",\"id\":\"m-1\"}");
			JsonNode refused = admin.nextJson();
			assertThat(refused.get("code").asString()).isEqualTo("internal");
			assertThat(refused.get("error").asString()).isEqualTo("internal error");
			assertThat(refused.get("id").asString()).isEqualTo("m-1");
			assertThat(ran("vault guarded route ran")).isFalse();
		}
	}

	@Test
	void forbidsJoiningARoomAnInterceptorKeepsPrivate() {
		try (WsClient admin = WsClient.connect(uri("/ws/vault"),
				(headers) -> headers.set("Authorization", "Bearer token-admin"))) {
			admin.next();
			admin.send("{\"type\":\"join\",\"room\":\"private-lounge\"}");
			assertThat(admin.nextJson().get("code").asString()).isEqualTo("forbidden");
			assertThat(this.switchboard.membersOf("private-lounge").collectList().block()).isEmpty();
			admin.send("{\"type\":\"join\",\"room\":\"public-lounge\"}");
			assertThat(admin.nextText()).isEqualTo("joined public-lounge");
		}
	}

	@Test
	void answersAFloodWithRateLimitedRepliesAndHandlesTheRestWithoutDisturbingOthers() {
		try (WsClient flooder = connect("/ws/routing"); WsClient bystander = connect("/ws/routing")) {
			for (int i = 0; i < 300; i++) {
				flooder.send("{\"id\":" + i + "}");
			}
			List<WsClient.Frame> replies = flooder.next(300);
			List<String> refusals = replies.stream()
				.map(WsClient.Frame::asText)
				.filter((text) -> text.contains("\"rate-limited\""))
				.toList();
			assertThat(refusals).allMatch((text) -> text
				.matches("\\{\"error\":\"rate limit exceeded\",\"code\":\"rate-limited\",\"id\":\\d+}"));
			long limited = refusals.size();
			long handled = replies.stream().filter((frame) -> frame.asText().startsWith("fallback:")).count();
			assertThat(limited + handled).isEqualTo(300);
			assertThat(limited).isPositive();
			assertThat(handled).isBetween(100L, 299L);
			bystander.send("calm");
			assertThat(bystander.nextText()).isEqualTo("fallback:calm");
		}
	}

	@Test
	void refusesMoreConnectionsForAUserThanAllowedWith429() {
		List<WsClient> devices = new ArrayList<>();
		try {
			for (int i = 0; i < 16; i++) {
				WsClient device = connect("/ws/greeting?user=many");
				device.next();
				devices.add(device);
			}
			assertThat(handshake("/ws/greeting?user=many", Map.of())).startsWith("HTTP/1.1 429")
				.contains("too many connections for this user");
			assertThat(handshake("/ws/greeting?user=few", Map.of())).startsWith("HTTP/1.1 101");
		}
		finally {
			devices.forEach(WsClient::close);
		}
	}

	@Test
	void selectsTheSocketsOwnSubprotocolRatherThanTheTokenMarker() {
		for (String offered : List.of("v1, switchboard.token, token-amy", "switchboard.token, token-amy, v1")) {
			try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws/rooms/x/arguments",
					Map.of("Sec-WebSocket-Protocol", offered))) {
				assertThat(client.responseHead().toLowerCase(java.util.Locale.ROOT))
					.contains("sec-websocket-protocol: v1\r\n")
					.doesNotContain("token-amy");
				assertThat(new String(client.readFrame().payload(), StandardCharsets.UTF_8))
					.contains("\"principal\":\"amy\"");
			}
		}
	}

	@Test
	void doesNotRegisterOrAnnounceAConnectionRefusedBeforeTheUpgrade() {
		assertThat(handshake("/ws/vault?user=refused-ron", Map.of())).startsWith("HTTP/1.1 403");
		// A user connected after the refusal: presence events come in order.
		try (WsClient witness = connect("/ws/greeting?user=witness-wes")) {
			witness.next();
			assertThat(this.events.presenceOf("witness-wes", 1)).containsExactly("online");
		}
		assertThat(this.events.events(UserOnlineEvent.class, (event) -> event.user().equals("refused-ron"))).isEmpty();
		assertThat(this.switchboard.connectionsOf("refused-ron").collectList().block()).isEmpty();
	}

	@Test
	void closesAConnectionWhoseOnConnectJoinAnInterceptorForbidsWith1008() {
		try (WsClient client = connect("/ws/chat?room=private-hall")) {
			CloseStatus status = client.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("room private-hall is private");
		}
		assertThat(this.switchboard.membersOf("private-hall").collectList().block()).isEmpty();
	}

	@Test
	void failsASwitchboardJoinAnInterceptorForbidsForAConnectionOfThisInstance() {
		try (RawWebSocket client = raw("/ws/greeting")) {
			String id = greetingId(client);
			StepVerifier.create(this.switchboard.join(id, "private-study"))
				.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(ClientErrorException.class)
					.hasMessage("room private-study is private"))
				.verify(Duration.ofSeconds(5));
			assertThat(this.switchboard.membersOf("private-study").collectList().block()).isEmpty();
		}
	}

	@Test
	void doesNotCountPingsOrPongsAgainstTheMessageRate() {
		try (RawWebSocket client = raw("/ws/routing")) {
			// Twice the burst of 100 each: counted, they would leave no token for the
			// message.
			for (int i = 0; i < 200; i++) {
				client.sendFrame(true, 0, RawWebSocket.PING, new byte[] { (byte) i });
				client.sendFrame(true, 0, RawWebSocket.PONG, new byte[] { (byte) i });
			}
			client.sendText("after the pings");
			RawWebSocket.RawFrame frame = client.readFrame();
			while (frame.opcode() == RawWebSocket.PONG) {
				frame = client.readFrame();
			}
			assertThat(new String(frame.payload(), StandardCharsets.UTF_8)).isEqualTo("fallback:after the pings");
		}
	}

	@Test
	void closesWith1009AsSoonAsAFrameHeaderAnnouncesMoreThanTheLimit() throws java.io.IOException {
		try (RawWebSocket client = raw("/ws/limited")) {
			// A text frame header announcing 10 MB, masked, and no payload at all.
			long length = 10 * 1024 * 1024;
			byte[] header = new byte[14];
			header[0] = (byte) 0x81;
			header[1] = (byte) (0x80 | 127);
			for (int i = 0; i < 8; i++) {
				header[2 + i] = (byte) (length >>> (8 * (7 - i)));
			}
			client.output().write(header);
			client.output().flush();
			assertThat(client.awaitCloseCode()).isEqualTo(1009);
		}
	}

	@Test
	void writesWhatIsQueuedForAUserBeforeClosingTheirConnections() {
		try (WsClient device = connect("/ws/greeting?user=leaving-lee")) {
			String id = device.nextText().substring("hello ".length());
			this.switchboard.toUser("leaving-lee")
				.send("last words")
				.then(this.switchboard.toUser("leaving-lee")
					.close(CloseReason.POLICY_VIOLATION.withReason("signed out")))
				.block(Duration.ofSeconds(5));
			assertThat(device.nextText()).contains("last words");
			CloseStatus status = device.awaitClose();
			assertThat(status.getCode()).isEqualTo(1008);
			assertThat(status.getReason()).isEqualTo("signed out");
			assertThat(this.events.disconnected(id).status().getCode()).isEqualTo(1008);
		}
	}

}
