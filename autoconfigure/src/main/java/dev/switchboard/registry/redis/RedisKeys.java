package dev.switchboard.registry.redis;

import java.util.Locale;

/**
 * The one definition of Switchboard's keys and channels in Redis, for the Java code and,
 * through {@link #lua()}, for the Lua scripts of the single-slot layout.
 * <p>
 * In the {@link Layout#SINGLE_SLOT single-slot} layout every key carries the hash tag
 * {@code {prefix}}, so that each Lua script touches one Redis Cluster slot. In the
 * {@link Layout#SPREAD spread} layout only the cluster-wide keys (the instances' leases,
 * the epoch, the online users, the rooms in use) carry it; the keys of an instance carry
 * {@code {prefix:i:instance}}, those of a user {@code {prefix:u:user}} and those of a
 * room {@code {prefix:r:room}}, so that the registry spreads over a Cluster's shards
 * while each script still touches one slot. Channels need no tag: a channel's name alone
 * says which shard carries it.
 */
final class RedisKeys {

	// The streams of rooms and users, as the runtime names them (see docs/recovery.md).
	private static final String ROOM_STREAM = "room:";

	private static final String USER_STREAM = "user:";

	private final String name;

	private final String keys;

	private final String channels;

	private final Layout layout;

	RedisKeys(String prefix) {
		this(prefix, Layout.SINGLE_SLOT);
	}

	RedisKeys(String prefix, Layout layout) {
		if (prefix.isEmpty() || prefix.contains("{") || prefix.contains("}")) {
			throw new IllegalArgumentException("switchboard.redis.key-prefix '" + prefix
					+ "' must be non-empty and free of braces: Switchboard adds the hash tag itself");
		}
		this.name = prefix;
		this.keys = "{" + prefix + "}:";
		this.channels = prefix + ":";
		this.layout = layout;
	}

	Layout layout() {
		return this.layout;
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

	String online() {
		return this.keys + Key.ONLINE.redisName;
	}

	/**
	 * The set of the rooms with at least one member, in the spread layout.
	 * @return the key
	 */
	String activeRooms() {
		return this.keys + "active-rooms";
	}

	String instanceIndex(String instance) {
		return spread() ? tag("i:", instance) : this.keys + Key.INSTANCE_INDEX.redisName + instance;
	}

	/**
	 * The hash of an instance's connections whose removal has begun, in the spread
	 * layout: entry as in {@link Key#INSTANCE_INDEX}.
	 * @param instance the instance
	 * @return the key
	 */
	String instanceClosing(String instance) {
		return tag("i:", instance) + ":closing";
	}

	/**
	 * The hash of an instance's connections per socket, in the spread layout.
	 * @param instance the instance
	 * @return the key
	 */
	String instanceSockets(String instance) {
		return tag("i:", instance) + ":sockets";
	}

	/**
	 * The key that exists while an instance holds its lease, in the spread layout, where
	 * a registration cannot read the leases' sorted set.
	 * @param instance the instance
	 * @return the key
	 */
	String instanceAlive(String instance) {
		return tag("i:", instance) + ":alive";
	}

	String userConnections(String user) {
		return spread() ? tag("u:", user) : this.keys + Key.USER_CONNECTIONS.redisName + user;
	}

	String userInstances(String user) {
		return spread() ? tag("u:", user) + ":i" : this.keys + Key.USER_INSTANCES.redisName + user;
	}

	String roomMembers(String room) {
		return spread() ? tag("r:", room) : this.keys + Key.ROOM_MEMBERS.redisName + room;
	}

	String roomInstances(String room) {
		return spread() ? tag("r:", room) + ":i" : this.keys + Key.ROOM_INSTANCES.redisName + room;
	}

	/**
	 * The history of a stream. In the spread layout a room's or a user's stream shares
	 * the hash tag of the room's or user's keys, so that the script that looks a send's
	 * recipients up keeps the message too; a socket's stream shares the slot of the
	 * shared channel, which carries its broadcasts, so that one script run keeps and
	 * publishes them. Its position shares its tag.
	 * @param stream the stream, such as {@code room:lobby}
	 * @return the key
	 */
	String history(String stream) {
		return spread() ? spreadStreamKey(stream, "h") : this.keys + Key.HISTORY.redisName + stream;
	}

	String historyPosition(String stream) {
		return spread() ? spreadStreamKey(stream, "hp") : this.keys + Key.HISTORY_POSITION.redisName + stream;
	}

	private String spreadStreamKey(String stream, String kind) {
		if (stream.startsWith(ROOM_STREAM)) {
			return tag("r:", stream.substring(ROOM_STREAM.length())) + ":" + kind;
		}
		if (stream.startsWith(USER_STREAM)) {
			return tag("u:", stream.substring(USER_STREAM.length())) + ":" + kind;
		}
		// The channel's whole name is its hash: as a key's tag, it names the same slot.
		return "{" + busChannel() + "}:" + kind + ":" + stream;
	}

	/**
	 * The set of a connection's rooms; in the spread layout it shares the hash tag of the
	 * connection's instance, which begins its id.
	 * @param connection the connection id
	 * @return the key
	 */
	String connectionRooms(String connection) {
		if (!spread()) {
			return this.keys + Key.CONNECTION_ROOMS.redisName + connection;
		}
		return tag("i:", instanceOf(connection)) + ":cr:" + connection;
	}

	/**
	 * The instance whose id begins a connection's id.
	 * @param connection the connection id
	 * @return the instance id, empty when the id does not begin with one
	 */
	static String instanceOf(String connection) {
		int dot = connection.indexOf('.');
		return (dot > 0) ? connection.substring(0, dot) : "";
	}

	private boolean spread() {
		return this.layout == Layout.SPREAD;
	}

	private String tag(String kind, String what) {
		return "{" + this.name + ":" + kind + what + "}";
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
	 * How the keys are spread over a Redis Cluster's slots.
	 */
	enum Layout {

		/**
		 * Every key in one slot: each operation is one script run, as on a single Redis.
		 */
		SINGLE_SLOT,

		/**
		 * Keys tagged per instance, user and room, spread over the slots: an operation
		 * that concerns several of them takes a script run on each.
		 */
		SPREAD

	}

	/**
	 * The keys of the single-slot layout, after the prefix. A name that ends with a colon
	 * is followed by the name of the instance, user, room or connection the key is about.
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
		ROOM_COUNT("rooms"),

		/**
		 * Stream of a stream's history (a room's, a user's or a socket's): field
		 * {@code o} the offset, {@code d} the message; trimmed by count and age.
		 */
		HISTORY("h:"),

		/**
		 * Hash of a history's position: field {@code e} the epoch, {@code o} the last
		 * offset; it shares the history's hash tag.
		 */
		HISTORY_POSITION("hp:");

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
