package dev.switchboard.test;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SwitchboardInstancesTests {

	@Test
	void startsContextsOfTheirOwnOnPortsOfTheirOwnWithTheProperties() {
		try (SwitchboardInstances instances = SwitchboardInstances.start(EchoSocketApplication.class, 2,
				"greeting=bonjour")) {
			assertThat(instances.size()).isEqualTo(2);
			SwitchboardInstance first = instances.get(0);
			SwitchboardInstance second = instances.get(1);
			assertThat(first.port()).isPositive().isNotEqualTo(second.port());
			assertThat(first.context()).isNotSameAs(second.context());
			assertThat(first.bean(Environment.class).getProperty("greeting")).isEqualTo("bonjour");
			assertThat(first.url("/echo")).hasToString("http://localhost:" + first.port() + "/echo");
			try (SocketTestSession session = second.client().path("/echo").connect()) {
				session.expectType("hello");
			}
		}
	}

	@Test
	void stopsOneInstanceWithoutClosingTheConnectionsOfTheOthers() {
		try (SwitchboardInstances instances = SwitchboardInstances.start(EchoSocketApplication.class, 2);
				SocketTestSession survivor = instances.get(1).client().path("/echo").connect()) {
			survivor.expectType("hello");
			instances.get(0).stop();
			assertThat(instances.get(0).isRunning()).isFalse();
			assertThatIllegalStateException().isThrownBy(() -> instances.get(0).bean(Environment.class))
				.withMessageContaining("is stopped");
			survivor.sendText("still here");
			assertThat(survivor.expectText()).isEqualTo("still here");
		}
	}

	@Test
	void restartsAnInstanceOnItsPort() {
		try (SwitchboardInstances instances = SwitchboardInstances.start(EchoSocketApplication.class, 1)) {
			SwitchboardInstance instance = instances.get(0);
			int port = instance.port();
			instance.restart();
			assertThat(instance.isRunning()).isTrue();
			assertThat(instance.port()).isEqualTo(port);
			try (SocketTestSession session = instance.client().path("/echo").connect()) {
				session.expectType("hello");
			}
		}
	}

}
