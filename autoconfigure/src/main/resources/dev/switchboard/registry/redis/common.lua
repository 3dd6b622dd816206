-- Shared by every script. Keys are ARGV[1] (the prefix, "{name}:") followed by:
--   instances      zset  instance -> lease deadline (ms, Redis clock)
--   purging        zset  dead instance -> purge claim deadline
--   epoch          string, set once per data set: changes when Redis loses its data
--   i:<instance>   hash  connection -> socket "\n" user          (the instance's index)
--   u:<user>       hash  connection -> instance "\n" socket      (the user's connections)
--   ui:<user>      zset  instance -> connections of the user there
--   online         set   users with at least one connection
--   r:<room>       hash  connection -> instance "\n" socket "\n" user
--   ri:<room>      zset  instance -> members of the room there
--   cr:<conn>      set   rooms of the connection
-- All keys share the {name} hash tag: every script touches one Redis Cluster slot.

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function decrement(key, member)
  if tonumber(redis.call('ZINCRBY', key, -1, member)) <= 0 then
    redis.call('ZREM', key, member)
  end
end

-- Removes a connection of an instance with its rooms; returns the user when it was their last
-- connection, false otherwise, nil when the connection was not registered.
local function remove_connection(p, instance, conn)
  local index = p .. 'i:' .. instance
  local value = redis.call('HGET', index, conn)
  if not value then
    return nil
  end
  redis.call('HDEL', index, conn)
  local user = string.sub(value, string.find(value, '\n', 1, true) + 1)
  local rooms = p .. 'cr:' .. conn
  for _, room in ipairs(redis.call('SMEMBERS', rooms)) do
    if redis.call('HDEL', p .. 'r:' .. room, conn) == 1 then
      decrement(p .. 'ri:' .. room, instance)
    end
  end
  redis.call('DEL', rooms)
  if user == '' then
    return false
  end
  local connections = p .. 'u:' .. user
  if redis.call('HDEL', connections, conn) == 1 then
    decrement(p .. 'ui:' .. user, instance)
  end
  if redis.call('HLEN', connections) == 0 then
    redis.call('SREM', p .. 'online', user)
    return user
  end
  return false
end
