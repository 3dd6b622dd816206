-- Spread layout, the room's slot: removes a connection from a room.
-- KEYS: room members, room instances. ARGV: instance, connection.
-- Returns 0 when it was no member, 1 when removed, 2 when removed and the room is empty.
if redis.call('HDEL', KEYS[1], ARGV[2]) == 0 then
  return 0
end
decrement(KEYS[2], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 2
end
return 1
