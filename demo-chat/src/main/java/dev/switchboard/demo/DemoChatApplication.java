package dev.switchboard.demo;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
@ConfigurationPropertiesScan
public class DemoChatApplication {

	public static void main(String[] args) {
		SpringApplication.run(DemoChatApplication.class, args);
	}

	// Also the SocketAuthenticator that Switchboard asks at every handshake.
	@Bean
	TokenService tokenService(DemoProperties properties) {
		return new TokenService(properties.token().secret(), properties.token().expiry(), Clock.systemUTC());
	}

}
