package dev.switchboard.registry.redis;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import dev.switchboard.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key layout that docs/multi-instance.md documents, as the Java code and the Lua
 * scripts name it from the one definition in {@link RedisKeys}.
 */
class RedisKeysTests {

	private final RedisKeys keys = new RedisKeys("switchboard");

	@Test
	void namesTheKeysAndChannelsTheJavaCodeUses() {
		assertThat(this.keys.prefix()).isEqualTo("{switchboard}:");
		assertThat(this.keys.channelPrefix()).isEqualTo("switchboard:");
		assertThat(this.keys.instances()).isEqualTo("{switchboard}:instances");
		assertThat(this.keys.purging()).isEqualTo("{switchboard}:purging");
		assertThat(this.keys.instanceIndex("a")).isEqualTo("{switchboard}:i:a");
		assertThat(this.keys.userConnections("ann")).isEqualTo("{switchboard}:u:ann");
		assertThat(this.keys.connectionRooms("a.1")).isEqualTo("{switchboard}:cr:a.1");
		assertThat(this.keys.busChannel()).isEqualTo("switchboard:bus");
		assertThat(this.keys.instanceChannel("a")).isEqualTo("switchboard:i:a");
	}

	@Test
	void tagsTheKeysOfEachInstanceUserAndRoomInTheSpreadLayout() {
		RedisKeys spread = new RedisKeys("switchboard", RedisKeys.Layout.SPREAD);
		assertThat(spread.instances()).isEqualTo("{switchboard}:instances");
		assertThat(spread.online()).isEqualTo("{switchboard}:online");
		assertThat(spread.activeRooms()).isEqualTo("{switchboard}:active-rooms");
		assertThat(spread.instanceIndex("a")).isEqualTo("{switchboard:i:a}");
		assertThat(spread.instanceClosing("a")).isEqualTo("{switchboard:i:a}:closing");
		assertThat(spread.instanceSockets("a")).isEqualTo("{switchboard:i:a}:sockets");
		assertThat(spread.instanceAlive("a")).isEqualTo("{switchboard:i:a}:alive");
		assertThat(spread.connectionRooms("a.1")).isEqualTo("{switchboard:i:a}:cr:a.1");
		assertThat(spread.userConnections("ann")).isEqualTo("{switchboard:u:ann}");
		assertThat(spread.userInstances("ann")).isEqualTo("{switchboard:u:ann}:i");
		assertThat(spread.roomMembers("lobby")).isEqualTo("{switchboard:r:lobby}");
		assertThat(spread.roomInstances("lobby")).isEqualTo("{switchboard:r:lobby}:i");
		assertThat(spread.busChannel()).isEqualTo("switchboard:bus");
		assertThat(spread.instanceChannel("a")).isEqualTo("switchboard:i:a");
		// One slot per instance, user and room.
		assertThat(SlotHash.getSlot(spread.userInstances("ann")))
			.isEqualTo(SlotHash.getSlot(spread.userConnections("ann")))
			.isNotEqualTo(SlotHash.getSlot(spread.userConnections("bob")));
		assertThat(SlotHash.getSlot(spread.connectionRooms("a.1")))
			.isEqualTo(SlotHash.getSlot(spread.instanceIndex("a")));
	}

	@Test
	void givesTheLuaScriptsTheSameNames() {
		String script = RedisKeys.lua() + """
				local p, c = ARGV[1], ARGV[2]
				return { key.instances(p), key.purging(p), key.epoch(p), key.instance_index(p, 'a'),
				  key.user_connections(p, 'ann'), key.user_instances(p, 'ann'), key.online(p),
				  key.room_members(p, 'lobby'), key.room_instances(p, 'lobby'), key.connection_rooms(p, 'a.1'),
				  key.socket_connections(p), key.room_count(p), channel.bus(c), channel.instance(c, 'a') }
				""";
		assertThat(TestRedis.shared().command("EVAL", script, "0", this.keys.prefix(), this.keys.channelPrefix()))
			.isEqualTo("[{switchboard}:instances, {switchboard}:purging, {switchboard}:epoch, {switchboard}:i:a, "
					+ "{switchboard}:u:ann, {switchboard}:ui:ann, {switchboard}:online, {switchboard}:r:lobby, "
					+ "{switchboard}:ri:lobby, {switchboard}:cr:a.1, {switchboard}:sockets, {switchboard}:rooms, "
					+ "switchboard:bus, switchboard:i:a]");
	}

}
