package dev.switchboard.docs;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.ConnectionInfo;
import dev.switchboard.Switchboard;
import dev.switchboard.autoconfigure.SwitchboardProperties;
import dev.switchboard.test.TestRedis;
import dev.switchboard.test.WsClient;

/**
 * Replays the transcripts of docs/operations.md against two instances of a documented
 * application on one Redis.
 */
class OperationsDocsTests {

	private final DocsApps apps = new DocsApps();

	@AfterEach
	void stopApps() {
		this.apps.close();
	}

	// The instance whose id sorts first answers, as the page prints it; a user is
	// connected to each instance, in the same room.
	@Test
	@Transcribes({ "switchboard-endpoint", "switchboard-connection" })
	void theEndpointShowsBothInstancesFromRedis() {
		List<String> properties = List.of("--spring.data.redis.host=" + TestRedis.shared().host(),
				"--spring.data.redis.port=" + TestRedis.shared().port(),
				"--switchboard.redis.key-prefix=operations-" + UUID.randomUUID(),
				"--management.endpoints.web.exposure.include=health,switchboard");
		List<Class<?>> sources = List.of(DocsTranscriptsTests.DocsApplication.class, RoomSocket.class,
				TokenAuthenticator.class, DocsTranscriptsTests.Users.class);
		List<ConfigurableApplicationContext> instances = new ArrayList<>(
				List.of(this.apps.start(sources, properties), this.apps.start(sources, properties)));
		instances.sort(Comparator.comparing(OperationsDocsTests::instanceId));
		ConfigurableApplicationContext first = instances.get(0);
		ConfigurableApplicationContext second = instances.get(1);
		try (WsClient ann = connect(first, "ann"); WsClient bob = connect(second, "bob")) {
			Switchboard switchboard = first.getBean(Switchboard.class);
			Awaitility.await()
				.atMost(WsClient.TIMEOUT)
				.ignoreExceptions()
				.until(() -> switchboard.membersOf("lobby").count().block(WsClient.TIMEOUT) == 2);
			String bobId = switchboard.connectionsOf("bob").map(ConnectionInfo::id).blockFirst(WsClient.TIMEOUT);
			Transcript.named("switchboard-endpoint")
				.bind("k3x9q0b2mz", instanceId(first))
				.bind("p7c2w4n8ra", instanceId(second))
				.curl(DocsApps.port(first));
			Transcript.named("switchboard-connection")
				.bind("p7c2w4n8ra.Qm3v9XwKd2LpA0sE", bobId)
				.bind("p7c2w4n8ra", instanceId(second))
				.curl(DocsApps.port(first));
		}
	}

	private static String instanceId(ConfigurableApplicationContext app) {
		return app.getBean(SwitchboardProperties.class).getInstanceId();
	}

	private static WsClient connect(ConfigurableApplicationContext app, String user) {
		return WsClient.connect(URI.create("ws://localhost:" + DocsApps.port(app) + "/ws/rooms/lobby"), (headers) -> {
			headers.set("Authorization", "Bearer " + user);
			headers.set("Origin", "https://chat.example.com");
		});
	}

}
