package dev.switchboard.test;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The application that {@link AppInstanceTests} runs in a separate JVM: it answers
 * {@code GET /pid} with its process id, and {@code GET /greeting} with its
 * {@code greeting} property.
 */
@SpringBootApplication
public class PidApplication {

	/**
	 * Auto-configurations that would need Redis or a login where their modules are on the
	 * class path, left out as the auto-configuration's end-to-end tests leave them out.
	 */
	private static final String EXCLUDED = String.join(",",
			"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration");

	@Bean
	RouterFunction<ServerResponse> routes(Environment environment) {
		return RouterFunctions.route()
			.GET("/pid", (request) -> ServerResponse.ok().bodyValue(String.valueOf(ProcessHandle.current().pid())))
			.GET("/greeting", (request) -> ServerResponse.ok().bodyValue(environment.getProperty("greeting", "hello")))
			.build();
	}

	/**
	 * Runs the application as a reactive web application.
	 * @param args the application's arguments, as {@code --name=value} properties
	 */
	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(PidApplication.class);
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		application
			.setDefaultProperties(Map.of("spring.autoconfigure.exclude", EXCLUDED, "spring.main.banner-mode", "off"));
		application.run(args);
	}

}
