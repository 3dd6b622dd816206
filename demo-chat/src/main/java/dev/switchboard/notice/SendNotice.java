package dev.switchboard.notice;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;

/**
 * Posts a notice to a room of the running demo from a process of its own, which serves no
 * sockets: a plain Spring application whose {@link Switchboard} is the send-only one,
 * talking to the demo's Redis. Run it with the {@code redis} profile and
 * {@code --room=general --text="Deploy at 17:00"}; it prints the send's result and exits.
 * <p>
 * In a project of its own, such a sender depends on {@code switchboard-emitter}, which
 * leaves WebFlux out; here it shares the demo's jar, so it says that it is no web
 * application.
 */
@SpringBootApplication
public class SendNotice {

	private static final Log logger = LogFactory.getLog(SendNotice.class);

	public static void main(String[] args) {
		SendResult result = send(args);
		logger.info("Notice published to " + result.instances() + " instance(s)"
				+ (result.notConnected() ? ": nobody is in the room" : ""));
	}

	/**
	 * Starts the sender, posts the notice and stops.
	 * @param args Spring arguments: {@code --room} (default {@code general}),
	 * {@code --text}, and the demo's Redis settings
	 * @return what is known of the send
	 */
	public static SendResult send(String... args) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SendNotice.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.run(args)) {
			Environment environment = context.getEnvironment();
			String room = environment.getProperty("room", "general");
			String text = environment.getRequiredProperty("text");
			// The same JSON as the demo's own notices, which its page shows.
			return context.getBean(Switchboard.class)
				.toRoom(room)
				.send(new Notice("notice", text, room))
				.block(Duration.ofSeconds(10));
		}
	}

	record Notice(String type, String text, @Nullable String room) {
	}

}
