package dev.switchboard.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * Gives a test class a Redis server of its own, started before its first test and stopped
 * after its last one.
 * <ul>
 * <li>On a {@code @SpringBootTest} class, the application context gets
 * {@code spring.data.redis.host} and {@code spring.data.redis.port}, so Switchboard's
 * {@code auto} registry is the Redis one. The context is closed after the class
 * ({@link DirtiesContext}), before its server stops, and is not shared with other
 * classes.</li>
 * <li>In any test class, a parameter of type {@link TestRedis} (of a constructor, a
 * {@code @BeforeAll}, {@code @BeforeEach} or {@code @Test} method) receives the server,
 * to give to {@link SwitchboardInstances.Builder#redis(TestRedis)} say.</li>
 * </ul>
 * The server is a {@code redis:7.0} container when Testcontainers is on the test class
 * path and a Docker engine answers, else a {@code redis-server} process of the
 * {@code PATH} on a free port of the loopback interface; with the environment variable
 * {@code REDIS_URL} set, that server, which is never flushed nor stopped. See
 * {@link TestRedis} for the details. Without any of them, the class's tests fail: they
 * are not skipped.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SwitchboardRedisExtension.class)
@ContextCustomizerFactories(SwitchboardRedisExtension.PropertiesFactory.class)
@DirtiesContext
public @interface SwitchboardRedis {

}
