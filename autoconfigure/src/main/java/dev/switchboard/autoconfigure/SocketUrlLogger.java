package dev.switchboard.autoconfigure;

import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

import dev.switchboard.runtime.SwitchboardServer;

/**
 * Logs each socket with its URL once the web server is up:
 * {@code Switchboard sockets: chat -> ws://localhost:8080/ws/chat}.
 */
final class SocketUrlLogger implements ApplicationListener<WebServerInitializedEvent> {

	private static final Log logger = LogFactory.getLog(SocketUrlLogger.class);

	private final ObjectProvider<SwitchboardServer> server;

	SocketUrlLogger(ObjectProvider<SwitchboardServer> server) {
		this.server = server;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (WebServerApplicationContext.hasServerNamespace(event.getApplicationContext(), "management")) {
			return;
		}
		SwitchboardServer server = this.server.getIfAvailable();
		if (server == null || server.endpoints().isEmpty()) {
			return;
		}
		Environment environment = event.getApplicationContext().getEnvironment();
		boolean ssl = environment.getProperty("server.ssl.enabled", Boolean.class, false);
		String host = environment.getProperty("server.address", "localhost");
		String base = (ssl ? "wss" : "ws") + "://" + host + ":" + event.getWebServer().getPort();
		logger.info("Switchboard sockets: " + server.endpoints()
			.stream()
			.map((endpoint) -> endpoint.socket().name() + " -> " + base + endpoint.socket().path())
			.collect(Collectors.joining(", ")));
	}

}
