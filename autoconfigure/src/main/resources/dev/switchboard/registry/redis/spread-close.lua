-- Spread layout, the instance's slot: begins removing a connection. Its entry moves from
-- the index to the closing hash, where a purge finds it should the instance die before the
-- user's and rooms' slots are done. KEYS: index, closing, sockets, connection rooms.
-- ARGV: connection. Returns { entry, rooms }, or {} when it is not registered.
local conn = ARGV[1]
local value = redis.call('HGET', KEYS[1], conn)
if value then
  redis.call('HDEL', KEYS[1], conn)
  redis.call('HSET', KEYS[2], conn, value)
  local socket = socket_and_user(value)
  if redis.call('HINCRBY', KEYS[3], socket, -1) <= 0 then
    redis.call('HDEL', KEYS[3], socket)
  end
else
  value = redis.call('HGET', KEYS[2], conn)
  if not value then
    return {}
  end
end
return { value, redis.call('SMEMBERS', KEYS[4]) }
