-- Removes a connection from a room. KEYS[1] = instances.
-- ARGV: prefix, instance, connection, room. Returns 1 if removed, else 0.
local p, instance, conn, room = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('HDEL', p .. 'r:' .. room, conn) == 0 then
  return 0
end
decrement(p .. 'ri:' .. room, instance)
redis.call('SREM', p .. 'cr:' .. conn, room)
return 1
