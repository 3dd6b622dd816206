package dev.switchboard.docs;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.docs.RedisTestcontainers.ChatApplicationTests;
import dev.switchboard.docs.start.ChatApplication;
import dev.switchboard.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the Testcontainers test that {@code docs/multi-instance.md} shows, its test
 * methods unchanged, against the application of the getting-started guide on a
 * {@code redis-server} process: this build has no Docker engine, so the container and its
 * {@code @ServiceConnection} are compiled, not run. The application is given the server's
 * host and port, as the service connection would give the container's.
 */
class RedisTestcontainersTests {

	private final DocsApps apps = new DocsApps();

	private ConfigurableApplicationContext app;

	@AfterEach
	void stop() {
		this.apps.close();
	}

	@Test
	void theDocumentedTestPassesOnALocalRedis() throws Exception {
		this.app = this.apps.start(List.of(ChatApplication.class),
				List.of("--switchboard.redis.key-prefix=testcontainers-" + UUID.randomUUID(),
						"--spring.data.redis.host=" + TestRedis.shared().host(),
						"--spring.data.redis.port=" + TestRedis.shared().port()));
		ChatApplicationTests test = new RedisTestcontainers().new ChatApplicationTests();
		this.app.getAutowireCapableBeanFactory().autowireBean(test);
		List<String> ran = new ArrayList<>();
		for (Method method : ChatApplicationTests.class.getDeclaredMethods()) {
			if (method.isAnnotationPresent(Test.class)) {
				method.setAccessible(true);
				invoke(test, method);
				ran.add(method.getName());
			}
		}
		assertThat(ran).containsExactlyInAnyOrder("registersConnectionsInRedis", "findsNobodyBeforeAnyoneConnects");
	}

	private void invoke(Object test, Method method) throws Exception {
		List<Object> arguments = new ArrayList<>();
		for (Parameter parameter : method.getParameters()) {
			arguments.add(this.app.getBean(parameter.getType()));
		}
		try {
			method.invoke(test, arguments.toArray());
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof Exception cause) {
				throw cause;
			}
			throw (Error) ex.getCause();
		}
	}

}
