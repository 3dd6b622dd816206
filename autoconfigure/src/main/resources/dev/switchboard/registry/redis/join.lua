-- Adds a registered connection to a room. KEYS[1] = instances.
-- ARGV: prefix, instance, connection, room, socket, user. Returns 1 if added, 0 if already a
-- member, -1 if the connection is not registered (closed meanwhile).
local prefix, instance, conn, room = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('HEXISTS', key.instance_index(prefix, instance), conn) == 0 then
  return -1
end
local members = key.room_members(prefix, room)
if redis.call('HSET', members, conn, instance .. '\n' .. ARGV[5] .. '\n' .. ARGV[6]) == 0 then
  return 0
end
if redis.call('HLEN', members) == 1 then
  redis.call('INCR', key.room_count(prefix))
end
redis.call('ZINCRBY', key.room_instances(prefix, room), 1, instance)
redis.call('SADD', key.connection_rooms(prefix, conn), room)
return 1
