package dev.switchboard.registry.redis;

/**
 * Names of Switchboard's keys and channels in Redis. Every key carries the hash tag
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

	String channelPrefix() {
		return this.channels;
	}

	String instances() {
		return this.keys + "instances";
	}

	String purging() {
		return this.keys + "purging";
	}

	String instanceIndex(String instance) {
		return this.keys + "i:" + instance;
	}

	String userConnections(String user) {
		return this.keys + "u:" + user;
	}

	String connectionRooms(String connection) {
		return this.keys + "cr:" + connection;
	}

	String roomMembers(String room) {
		return this.keys + "r:" + room;
	}

	String online() {
		return this.keys + "online";
	}

	String busChannel() {
		return this.channels + "bus";
	}

	String instanceChannel(String instance) {
		return this.channels + "i:" + instance;
	}

}
