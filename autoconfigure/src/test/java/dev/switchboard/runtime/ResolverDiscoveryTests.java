package dev.switchboard.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.Order;

import dev.switchboard.handler.SocketArgumentResolver;
import dev.switchboard.handler.SocketInvocation;
import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A custom resolver is asked once, at startup, about each parameter that no annotation,
 * well-known type or earlier resolver took; never again while messages are handled.
 */
@Import(ResolverDiscoveryTests.Counting.class)
class ResolverDiscoveryTests extends SocketTestSupport {

	@Autowired
	CountingResolver counting;

	@Test
	void asksACustomResolverOnceAtStartupAboutEachParameterLeftToIt() {
		List<String> asked = List.copyOf(this.counting.asked);
		assertThat(asked).doesNotHaveDuplicates()
			.as("a payload")
			.anyMatch((parameter) -> parameter.startsWith("ProbeSocket.blocking[") && parameter.endsWith("#1"))
			.as("an annotated parameter")
			.noneMatch((parameter) -> parameter.startsWith("ProbeSocket.shade["))
			.as("a well-known type")
			.noneMatch((parameter) -> parameter.startsWith("WelcomeSocket.bye["))
			.as("a parameter an earlier custom resolver took")
			.noneMatch((parameter) -> parameter.startsWith("ProbeSocket.blocking[") && parameter.endsWith("#0"));
		try (WsClient probe = connect("/ws/probe?shade=teal:3"); WsClient welcome = connect("/ws/welcome")) {
			probe.send("{\"type\":\"blocking\"}").send("{\"type\":\"shade\"}");
			assertThat(probe.nextText()).startsWith("first ");
			assertThat(probe.nextText()).isEqualTo("teal 3");
			welcome.send("{\"type\":\"bye\"}");
			assertThat(welcome.awaitClose().getCode()).isEqualTo(1000);
		}
		assertThat(this.counting.asked).containsExactlyElementsOf(asked);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Counting {

		@Bean
		@Order
		CountingResolver countingResolver() {
			return new CountingResolver();
		}

	}

	/**
	 * Takes nothing, and records each parameter it is asked about.
	 */
	static class CountingResolver implements SocketArgumentResolver {

		final List<String> asked = new CopyOnWriteArrayList<>();

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			// Overloads share a name: the signature tells them apart.
			this.asked.add(parameter.getContainingClass().getSimpleName() + "." + parameter.getMethod().getName()
					+ List.of(parameter.getMethod().getParameterTypes()) + "#" + parameter.getParameterIndex());
			return false;
		}

		@Override
		public Object resolveArgument(MethodParameter parameter, SocketInvocation invocation) {
			throw new IllegalStateException("takes no parameter");
		}

	}

}
