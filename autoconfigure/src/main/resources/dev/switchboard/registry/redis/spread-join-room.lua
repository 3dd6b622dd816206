-- Spread layout, the room's slot: adds a connection to a room.
-- KEYS: room members, room instances. ARGV: instance, connection, socket, user.
-- Returns 0 when already a member, 1 when added, 2 when added to an empty room.
local instance, conn = ARGV[1], ARGV[2]
if redis.call('HSET', KEYS[1], conn, instance .. '\n' .. ARGV[3] .. '\n' .. ARGV[4]) == 0 then
  return 0
end
redis.call('ZINCRBY', KEYS[2], 1, instance)
if redis.call('HLEN', KEYS[1]) == 1 then
  return 2
end
return 1
