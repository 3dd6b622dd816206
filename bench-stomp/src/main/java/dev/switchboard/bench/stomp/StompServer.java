package dev.switchboard.bench.stomp;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.simp.annotation.SendToUser;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * The stack Spring users would otherwise pick: Spring's STOMP support, on the Servlet
 * stack, with the simple broker. A client sends to {@code /app/echo} and receives the
 * payload back on {@code /user/queue/echo}.
 */
@SpringBootApplication
@EnableWebSocketMessageBroker
@Controller
public class StompServer implements WebSocketMessageBrokerConfigurer {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(StompServer.class);
		application.addListeners((ApplicationReadyEvent event) -> {
			System.out.println(
					"READY " + ((WebServerApplicationContext) event.getApplicationContext()).getWebServer().getPort());
			System.out.flush();
		});
		application.run(args);
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		registry.addEndpoint("/ws/stomp").setAllowedOriginPatterns("*");
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.enableSimpleBroker("/queue", "/topic");
		registry.setApplicationDestinationPrefixes("/app");
	}

	@MessageMapping("/echo")
	@SendToUser(destinations = "/queue/echo", broadcast = false)
	String echo(String payload) {
		return payload;
	}

	@GetMapping("/bench/memory")
	@ResponseBody
	String memory() {
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 3; i++) {
			System.gc();
			used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		}
		long rss = 0;
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmRSS:")) {
					rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (java.io.IOException ex) {
			// Not on Linux.
		}
		return "heap=" + used + " rss=" + rss;
	}

}
