package dev.switchboard.docs;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

@Configuration(proxyBeanMethods = false)
class ActuatorSecurityConfiguration {

	// tag::actuator[]
	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
		return http.authorizeExchange((exchanges) -> {
			exchanges.pathMatchers("/actuator/health/**").permitAll();
			exchanges.pathMatchers("/actuator/**").hasRole("OPS");
			exchanges.anyExchange().authenticated();
		}).httpBasic(Customizer.withDefaults()).build();
	}
	// end::actuator[]

}
