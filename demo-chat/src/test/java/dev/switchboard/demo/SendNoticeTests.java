package dev.switchboard.demo;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.SendResult;
import dev.switchboard.notice.SendNotice;
import dev.switchboard.test.OwnEventLoops;
import dev.switchboard.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notice that demo-chat/README.md sends from a process of its own reaches the members
 * of a room of a running instance, through Redis.
 */
class SendNoticeTests {

	private static final String PREFIX = "send-notice";

	@Test
	void noticeFromAnotherProcessReachesTheRoomOfTheRunningDemo() {
		List<String> redis = new ArrayList<>(List.of("--switchboard.redis.key-prefix=" + PREFIX));
		TestRedis.shared().springProperties().forEach((name, value) -> redis.add("--" + name + "=" + value));
		List<String> demo = new ArrayList<>(redis);
		demo.addAll(List.of("--server.port=0", "--spring.profiles.active=redis", "--spring.main.banner-mode=off",
				"--demo.history.key-prefix=" + PREFIX));
		try (ConfigurableApplicationContext instance = new SpringApplicationBuilder(DemoChatApplication.class)
			.initializers(new OwnEventLoops())
			.run(demo.toArray(String[]::new));
				ChatClient nora = ChatClient.connect(
						Integer.parseInt(instance.getEnvironment().getProperty("local.server.port")),
						instance.getBean(TokenService.class).sign("nora"))) {
			nora.send("{\"type\":\"join\",\"room\":\"general\"}").next("joined");
			List<String> sender = new ArrayList<>(redis);
			sender.addAll(List.of("--room=general", "--text=Deploy at 17:00"));
			SendResult result = SendNotice.send(sender.toArray(String[]::new));
			assertThat(result).isEqualTo(new SendResult(0, 1));
			assertThat(nora.next("notice").path("text").asString()).isEqualTo("Deploy at 17:00");
			List<String> toNobody = new ArrayList<>(redis);
			toNobody.addAll(List.of("--room=empty", "--text=Anyone?"));
			assertThat(SendNotice.send(toNobody.toArray(String[]::new)).notConnected()).isTrue();
		}
	}

}
