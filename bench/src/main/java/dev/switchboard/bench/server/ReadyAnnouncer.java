package dev.switchboard.bench.server;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;

/**
 * Tells the runner that a Spring Boot server is ready, with its port.
 */
class ReadyAnnouncer implements ApplicationListener<ApplicationReadyEvent> {

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		Control.ready(((WebServerApplicationContext) event.getApplicationContext()).getWebServer().getPort());
	}

}
