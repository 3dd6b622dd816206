package dev.switchboard.docs;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

@Configuration(proxyBeanMethods = false)
class SendApiSecurityConfiguration {

	// tag::send-api[]
	@Bean
	@Order(0)
	SecurityWebFilterChain sendApiSecurityWebFilterChain(ServerHttpSecurity http) {
		return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/switchboard/api/send"))
			.authorizeExchange((exchanges) -> exchanges.anyExchange().hasRole("SENDER"))
			.httpBasic(Customizer.withDefaults())
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.build();
	}
	// end::send-api[]

}
