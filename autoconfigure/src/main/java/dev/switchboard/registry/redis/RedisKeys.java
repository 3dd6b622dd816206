package dev.switchboard.registry.redis;

import java.util.Locale;

/**
 * The one definition of Switchboard's keys and channels in Redis, for the Java code and,
 * through {@link #lua()}, for the Lua scripts. Every key carries the hash tag
 * {@code {prefix}}, so that each Lua script touches one Redis Cluster slot; channels need
 * no tag.
 */
final class RedisKeys {

	private final String keys;

	private final String channels;

	RedisKeys(String prefix) {
		if (prefix.isEmpty() || prefix.contains("{") || prefix.contains("}")) {
			throw new IllegalArgumentException("switchboard.redis.key-prefix '" + prefix
					+ "' must be non-empty and free of braces: Switchboard adds the hash tag itself");
		}
		this.keys = "{" + prefix + "}:";
		this.channels = prefix + ":";
	}

	/**
	 * The prefix the Lua scripts build their keys from.
	 * @return the prefix, for example {@code {switchboard}:}
	 */
	String prefix() {
		return this.keys;
	}

	/**
	 * The prefix the Lua scripts build their channels from.
	 * @return the prefix, for example {@code switchboard:}
	 */
	String channelPrefix() {
		return this.channels;
	}

	String instances() {
		return this.keys + Key.INSTANCES.redisName;
	}

	String purging() {
		return this.keys + Key.PURGING.redisName;
	}

	String epoch() {
		return this.keys + Key.EPOCH.redisName;
	}

	String instanceIndex(String instance) {
		return this.keys + Key.INSTANCE_INDEX.redisName + instance;
	}

	String userConnections(String user) {
		return this.keys + Key.USER_CONNECTIONS.redisName + user;
	}

	String connectionRooms(String connection) {
		return this.keys + Key.CONNECTION_ROOMS.redisName + connection;
	}

	String busChannel() {
		return this.channels + Channel.BUS.redisName;
	}

	String instanceChannel(String instance) {
		return this.channels + Channel.INSTANCE.redisName + instance;
	}

	/**
	 * The same names for the Lua scripts, which get the prefixes as arguments: a table
	 * {@code key} with a function per key, such as
	 * {@code key.user_connections(prefix, user)}, and a table {@code channel} likewise.
	 * @return the Lua code that declares both tables
	 */
	static String lua() {
		StringBuilder lua = new StringBuilder("-- Key and channel names, from RedisKeys\n");
		lua.append("local key, channel = {}, {}\n");
		for (Key key : Key.values()) {
			lua.append(luaFunction("key", key.name(), key.redisName));
		}
		for (Channel channel : Channel.values()) {
			lua.append(luaFunction("channel", channel.name(), channel.redisName));
		}
		return lua.toString();
	}

	// A name that ends with a colon is followed by what the key or channel is about.
	private static String luaFunction(String table, String constant, String redisName) {
		String function = "function " + table + "." + constant.toLowerCase(Locale.ROOT);
		if (redisName.endsWith(":")) {
			return function + "(prefix, name) return prefix .. '" + redisName + "' .. name end\n";
		}
		return function + "(prefix) return prefix .. '" + redisName + "' end\n";
	}

	/**
	 * The keys, after the prefix. A name that ends with a colon is followed by the name
	 * of the instance, user, room or connection the key is about.
	 */
	enum Key {

		/**
		 * Sorted set: each live instance, scored by the deadline of its lease
		 * (milliseconds, Redis clock).
		 */
		INSTANCES("instances"),

		/**
		 * Sorted set: each dead instance being purged, scored by the deadline of the
		 * purging instance's claim.
		 */
		PURGING("purging"),

		/**
		 * String, set once per data set: a new value means that Redis lost its data.
		 */
		EPOCH("epoch"),

		/**
		 * Hash of an instance's connections: connection id, then socket, connected since
		 * (milliseconds), remote address and user on four lines.
		 */
		INSTANCE_INDEX("i:"),

		/**
		 * Hash of a user's connections: connection id, then instance and socket on two
		 * lines.
		 */
		USER_CONNECTIONS("u:"),

		/**
		 * Sorted set of the instances that hold a user's connections, scored by how many.
		 */
		USER_INSTANCES("ui:"),

		/**
		 * Set of the users with at least one connection.
		 */
		ONLINE("online"),

		/**
		 * Hash of a room's members: connection id, then instance, socket and user on
		 * three lines.
		 */
		ROOM_MEMBERS("r:"),

		/**
		 * Sorted set of the instances that hold a room's members, scored by how many.
		 */
		ROOM_INSTANCES("ri:"),

		/**
		 * Set of a connection's rooms.
		 */
		CONNECTION_ROOMS("cr:"),

		/**
		 * Hash of the number of connections of each socket, kept with the instances'
		 * hashes.
		 */
		SOCKET_CONNECTIONS("sockets"),

		/**
		 * String: the number of rooms with at least one member, kept with the rooms'
		 * hashes.
		 */
		ROOM_COUNT("rooms");

		private final String redisName;

		Key(String redisName) {
			this.redisName = redisName;
		}

	}

	/**
	 * The channels, after the channel prefix.
	 */
	enum Channel {

		/**
		 * Broadcasts, and sends whose recipients are on several instances; every instance
		 * subscribes.
		 */
		BUS("bus"),

		/**
		 * Sends whose recipients are all on one instance, followed by its id; only that
		 * instance subscribes.
		 */
		INSTANCE("i:");

		private final String redisName;

		Channel(String redisName) {
			this.redisName = redisName;
		}

	}

}
