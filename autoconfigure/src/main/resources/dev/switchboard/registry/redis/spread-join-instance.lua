-- Spread layout, the instance's slot: notes a room of a registered connection, before the
-- room's slot adds it. KEYS: index, connection rooms. ARGV: connection, room.
-- Returns 1 when noted, 0 when noted before, -1 when the connection is not registered.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return -1
end
return redis.call('SADD', KEYS[2], ARGV[2])
