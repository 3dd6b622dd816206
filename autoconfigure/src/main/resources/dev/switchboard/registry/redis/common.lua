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

-- Publishes an envelope once to the other instances that hold recipients, after one lookup:
-- on the instance's own channel when one instance holds recipients, on the bus channel when
-- several do, not at all when none does. kind is "u" (users), "r" (a room) or "c" (a
-- connection); the names are ARGV[first] onwards. Returns the number of instances, or -2
-- when no subscriber received it and Redis's count of receivers covers every subscriber.
local function send_envelope(prefix, channel_prefix, self, kind, envelope, counts_receivers, first)
  local found, count, last = {}, 0, nil
  local function add(instance)
    if instance ~= self and not found[instance] then
      found[instance] = true
      count = count + 1
      last = instance
    end
  end
  local function add_all(instances)
    for _, instance in ipairs(instances) do
      add(instance)
    end
  end
  if kind == 'u' and #ARGV == first then
    add_all(redis.call('ZRANGE', key.user_instances(prefix, ARGV[first]), 0, -1))
  elseif kind == 'u' then
    -- One ZUNION per 1000 users: unpack takes a few thousand values at most.
    for from = first, #ARGV, 1000 do
      local sets = {}
      for i = from, math.min(#ARGV, from + 999) do
        sets[#sets + 1] = key.user_instances(prefix, ARGV[i])
      end
      add_all(redis.call('ZUNION', #sets, unpack(sets)))
    end
  elseif kind == 'r' then
    add_all(redis.call('ZRANGE', key.room_instances(prefix, ARGV[first]), 0, -1))
  elseif kind == 'c' then
    local instance = string.match(ARGV[first], '^([^.]+)%.')
    if instance and redis.call('HEXISTS', key.instance_index(prefix, instance), ARGV[first]) == 1 then
      add(instance)
    end
  end
  local received = count
  if count == 1 then
    received = redis.call('PUBLISH', channel.instance(channel_prefix, last), envelope)
  elseif count > 1 then
    received = redis.call('PUBLISH', channel.bus(channel_prefix), envelope)
  end
  if counts_receivers and count > 0 and received == 0 then
    return -2
  end
  return count
end

-- The next position of a stream's history: its epoch, made from Redis's clock when the stream
-- has none (a history that Redis lost, or whose position expired, begins a new epoch), and
-- its next offset. Returns the epoch, the offset and Redis's time.
local function history_next(position)
  local now = redis.call('TIME')
  local epoch = redis.call('HGET', position, 'e')
  if not epoch then
    epoch = now[1] .. string.format('%06d', tonumber(now[2]))
    redis.call('HSET', position, 'e', epoch)
  end
  return epoch, redis.call('HINCRBY', position, 'o', 1), now
end

-- Adds a message at its offset to a stream's history, trimmed to the most messages kept and
-- their longest age (ms); the history expires that age after its last message, its position
-- after position_age (ms).
local function history_add(history, position, message, offset, size, age, position_age, now)
  local oldest = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(age)
  redis.call('XADD', history, 'MAXLEN', size, '*', 'o', offset, 'd', message)
  redis.call('XTRIM', history, 'MINID', oldest)
  redis.call('PEXPIRE', history, age)
  redis.call('PEXPIRE', position, position_age)
end
