-- Answers a query about the registry, unless the data set is not the one this instance
-- registered in: then Redis lost its data, the registry does not know connections that are
-- open, and the answer would not be known to be true. KEYS[1] = instances.
-- ARGV: prefix, the epoch this instance knows ("" before its first heartbeat), query, name.
-- Queries: online (whether the user is online), users (the online users), connections (the
-- user's connections, as field, value, ...), members (the room's, likewise), instances (how
-- many hold a lease), overview ({ connections by socket as field, value, ..., instances and
-- their lease deadlines likewise, the time (ms), the number of rooms, the number of online
-- users }), connection (the connection whose id is the name: { instance, its index entry, its
-- rooms }, or {}). Returns { 0 } when the epoch differs, else { 1, answer }.
local prefix, known, query, name = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if known ~= '' and redis.call('GET', key.epoch(prefix)) ~= known then
  return { 0 }
end
if query == 'online' then
  return { 1, redis.call('SISMEMBER', key.online(prefix), name) }
elseif query == 'users' then
  return { 1, redis.call('SMEMBERS', key.online(prefix)) }
elseif query == 'connections' then
  return { 1, redis.call('HGETALL', key.user_connections(prefix, name)) }
elseif query == 'members' then
  return { 1, redis.call('HGETALL', key.room_members(prefix, name)) }
elseif query == 'instances' then
  return { 1, redis.call('ZCARD', KEYS[1]) }
elseif query == 'overview' then
  return { 1, { redis.call('HGETALL', key.socket_connections(prefix)), redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES'),
    now_ms(), redis.call('GET', key.room_count(prefix)) or '0', redis.call('SCARD', key.online(prefix)) } }
elseif query == 'connection' then
  -- A connection's id begins with its instance's.
  local instance = string.match(name, '^([^.]+)%.')
  local value = instance and redis.call('HGET', key.instance_index(prefix, instance), name)
  if not value then
    return { 1, {} }
  end
  return { 1, { instance, value, redis.call('SMEMBERS', key.connection_rooms(prefix, name)) } }
end
return redis.error_reply('unknown query ' .. query)
