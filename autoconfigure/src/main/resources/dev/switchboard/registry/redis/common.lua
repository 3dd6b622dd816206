-- Shared by every script. Keys and channels are named by RedisKeys, whose key and channel
-- functions precede this file: key.instances(prefix), key.user_connections(prefix, user), ...
-- with the prefix in ARGV[1] ("{name}:"). All keys share the {name} hash tag: every script
-- touches one Redis Cluster slot.

local function now_ms()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

local function decrement(zset, member)
  if tonumber(redis.call('ZINCRBY', zset, -1, member)) <= 0 then
    redis.call('ZREM', zset, member)
  end
end

-- An entry of an instance's index: socket, connected since (ms), remote address and user, on
-- four lines, the user last. Returns the socket and the user.
local function socket_and_user(value)
  local first = string.find(value, '\n', 1, true)
  local third = string.find(value, '\n', string.find(value, '\n', first + 1, true) + 1, true)
  return string.sub(value, 1, first - 1), string.sub(value, third + 1)
end

-- A connection left a room: the room's counts follow.
local function member_removed(prefix, instance, room)
  decrement(key.room_instances(prefix, room), instance)
  if redis.call('EXISTS', key.room_members(prefix, room)) == 0
      and redis.call('DECR', key.room_count(prefix)) <= 0 then
    redis.call('DEL', key.room_count(prefix))
  end
end

-- Removes a connection of an instance with its rooms; returns the user when it was their last
-- connection, false otherwise, nil when the connection was not registered.
local function remove_connection(prefix, instance, conn)
  local index = key.instance_index(prefix, instance)
  local value = redis.call('HGET', index, conn)
  if not value then
    return nil
  end
  redis.call('HDEL', index, conn)
  local socket, user = socket_and_user(value)
  if redis.call('HINCRBY', key.socket_connections(prefix), socket, -1) <= 0 then
    redis.call('HDEL', key.socket_connections(prefix), socket)
  end
  local rooms = key.connection_rooms(prefix, conn)
  for _, room in ipairs(redis.call('SMEMBERS', rooms)) do
    if redis.call('HDEL', key.room_members(prefix, room), conn) == 1 then
      member_removed(prefix, instance, room)
    end
  end
  redis.call('DEL', rooms)
  if user == '' then
    return false
  end
  local connections = key.user_connections(prefix, user)
  if redis.call('HDEL', connections, conn) == 1 then
    decrement(key.user_instances(prefix, user), instance)
  end
  if redis.call('HLEN', connections) == 0 then
    redis.call('SREM', key.online(prefix), user)
    return user
  end
  return false
end
