-- Removes a connection from a room. KEYS[1] = instances.
-- ARGV: prefix, instance, connection, room. Returns 1 if removed, else 0.
local prefix, instance, conn, room = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('HDEL', key.room_members(prefix, room), conn) == 0 then
  return 0
end
member_removed(prefix, instance, room)
redis.call('SREM', key.connection_rooms(prefix, conn), room)
return 1
