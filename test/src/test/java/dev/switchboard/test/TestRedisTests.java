package dev.switchboard.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TestRedisTests {

	private static TestRedis redis;

	@BeforeAll
	static void startRedis() {
		redis = TestRedis.startNew();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void answersPingOnAPortOfItsOwn() {
		assertThat(redis.command("PING")).isEqualTo("PONG");
		assertThat(redis.port()).isNotEqualTo(6379);
		assertThat(redis.springProperties()).containsEntry("spring.data.redis.host", redis.host())
			.containsEntry("spring.data.redis.port", String.valueOf(redis.port()));
	}

	@Test
	void countsCommandsSinceTheStatsWereReset() {
		redis.command("SET", "counted", "1");
		redis.resetStats();
		redis.command("SET", "counted", "2");
		redis.command("SET", "counted", "3");
		assertThat(redis.commandCalls("set")).isEqualTo(2);
		assertThat(redis.commandCalls("PUBLISH")).isZero();
	}

	@Test
	void rendersRepliesReadably() {
		redis.command("DEL", "hash", "counter");
		assertThat(redis.command("HSET", "hash", "field", "value")).isEqualTo("1");
		assertThat(redis.command("HGETALL", "hash")).isEqualTo("[field, value]");
		assertThat(redis.command("GET", "absent")).isEqualTo("(nil)");
		assertThat(redis.command("GET", "hash")).startsWith("(error) WRONGTYPE");
	}

	@Test
	void restartsOnTheSamePortWithoutItsData() {
		int port = redis.port();
		redis.command("SET", "lost", "on restart");
		redis.stop();
		assertThat(acceptsConnections(port)).isFalse();
		redis.start();
		assertThat(redis.port()).isEqualTo(port);
		assertThat(redis.command("GET", "lost")).isEqualTo("(nil)");
	}

	@Test
	void sharedServerIsOnePerJvmAndCannotBeStopped() {
		TestRedis shared = TestRedis.shared();
		assertThat(TestRedis.shared()).isSameAs(shared);
		assertThat(shared.port()).isNotEqualTo(redis.port());
		assertThatIllegalStateException().isThrownBy(shared::stop).withMessageContaining("TestRedis.startNew()");
	}

	@Test
	void flushAllEmptiesTheServer() {
		redis.command("SET", "flushed", "1");
		redis.flushAll();
		assertThat(redis.command("DBSIZE")).isEqualTo("0");
	}

	private static boolean acceptsConnections(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(redis.host(), port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
