package dev.switchboard.sockets;

import java.security.Principal;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.PropertySource;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * The application behind the end-to-end tests: the sockets of this package, and a filter
 * that authenticates {@code ?user=name} so that tests can connect as users without Spring
 * Security. Spring Security and Redis are off ({@code sockets-test.properties}); the
 * cluster tests turn Redis on with properties of higher precedence.
 */
@SpringBootApplication
@PropertySource("classpath:sockets-test.properties")
class SocketsTestApplication {

	@Bean
	WebFilter testAuthentication() {
		return (exchange, chain) -> {
			String user = exchange.getRequest().getQueryParams().getFirst("user");
			if (user == null) {
				return chain.filter(exchange);
			}
			Principal principal = () -> user;
			return chain.filter(exchange.mutate().principal(Mono.just(principal)).build());
		};
	}

	@Bean
	EventLog eventLog() {
		return new EventLog();
	}

}
