package dev.switchboard.docs;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

@Configuration(proxyBeanMethods = false)
class WebSecurityConfiguration {

	// tag::socket-paths[]
	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
		return http.authorizeExchange((exchanges) -> {
			exchanges.pathMatchers("/ws/**").authenticated();
			exchanges.anyExchange().permitAll();
		}).httpBasic(Customizer.withDefaults()).build();
	}
	// end::socket-paths[]

}
