-- Spread layout, the user's slot: removes a connection from its user's.
-- KEYS: user connections, user instances. ARGV: instance, connection.
-- Returns 1 when that was the user's last connection, else 0; a second run returns 0.
if redis.call('HDEL', KEYS[1], ARGV[2]) == 0 then
  return 0
end
decrement(KEYS[2], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 1
end
return 0
