package dev.switchboard.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import reactor.core.publisher.Mono;

import dev.switchboard.SocketConnection;
import dev.switchboard.SocketInterceptor;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several interceptors run, in their {@code @Order}.
 */
@Import(InterceptorOrderTests.OrderedInterceptors.class)
class InterceptorOrderTests extends SocketTestSupport {

	@Autowired
	Calls calls;

	@Test
	void runsEveryInterceptorInItsOrder() {
		try (WsClient client = connect("/ws/greeting?user=ordered")) {
			client.next();
		}
		assertThat(this.calls.names()).containsExactly("first", "second");
	}

	record Calls(List<String> names) {
	}

	@Configuration(proxyBeanMethods = false)
	static class OrderedInterceptors {

		@Bean
		Calls calls() {
			return new Calls(new CopyOnWriteArrayList<>());
		}

		@Bean
		@Order(2)
		SocketInterceptor second(Calls calls) {
			return recording("second", calls);
		}

		@Bean
		@Order(1)
		SocketInterceptor first(Calls calls) {
			return recording("first", calls);
		}

		private static SocketInterceptor recording(String name, Calls calls) {
			return new SocketInterceptor() {

				@Override
				public Mono<Void> onConnect(SocketConnection connection) {
					if ("ordered".equals(connection.user())) {
						calls.names().add(name);
					}
					return Mono.empty();
				}

			};
		}

	}

}
