package dev.switchboard.test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.test.TestRedisCluster.Node;

import static org.assertj.core.api.Assertions.assertThat;

class TestRedisClusterTests {

	private static TestRedisCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = TestRedisCluster.start();
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@Test
	void startsThreeMastersWithAReplicaEachOnFreePorts() {
		assertThat(cluster.nodes()).hasSize(6).noneMatch((node) -> node.port() == 6379);
		assertThat(cluster.masters()).hasSize(3);
		assertThat(cluster.replicas()).hasSize(3);
		assertThat(cluster.springProperties().get("spring.data.redis.cluster.nodes").split(","))
			.containsExactlyElementsOf(cluster.nodes().stream().map(Node::address).toList());
		assertThat(cluster.springProperties()).containsEntry("spring.data.redis.lettuce.cluster.refresh.adaptive",
				"true");
	}

	@Test
	void spreadsKeysOverTheMasters() {
		List<String> keys = IntStream.range(0, 30).mapToObj((i) -> "spread-" + i).toList();
		Set<Node> owners = new HashSet<>();
		for (String key : keys) {
			Node master = cluster.masterOf(key);
			assertThat(master.command("SET", key, "1")).isEqualTo("OK");
			owners.add(master);
		}
		assertThat(owners).containsExactlyInAnyOrderElementsOf(cluster.masters());
		assertThat(cluster.masters().stream().mapToLong(Node::keyCount).sum()).isGreaterThanOrEqualTo(keys.size());
		Node other = cluster.masters()
			.stream()
			.filter((node) -> node != cluster.masterOf("spread-0"))
			.findFirst()
			.get();
		assertThat(other.command("GET", "spread-0")).startsWith("(error) MOVED " + cluster.slotOf("spread-0") + " ");
	}

	@Test
	void failoverSwapsTheRolesOfAReplicaAndItsMaster() {
		Node master = cluster.masterOf("swapped");
		master.resetStats();
		master.command("SET", "swapped", "1");
		assertThat(master.commandCalls("set")).isEqualTo(1);
		assertThat(cluster.replicasOf(master)).hasSize(1);
		Node replica = cluster.replicasOf(master).get(0);
		assertThat(replica.command("INFO", "replication")).contains("master_port:" + master.port());
		Node promoted = cluster.failover(replica);
		assertThat(promoted.isMaster()).isTrue();
		assertThat(master.isMaster()).isFalse();
		assertThat(cluster.masterOf("swapped")).isSameAs(promoted);
		assertThat(promoted.command("GET", "swapped")).isEqualTo("1");
		assertThat(cluster.masters()).hasSize(3).contains(promoted).doesNotContain(master);
		assertThat(cluster.replicas()).hasSize(3).contains(master);
		assertThat(cluster.replicasOf(promoted)).containsExactly(master);
	}

}
