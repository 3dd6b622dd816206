-- Spread layout, the user's slot: adds a connection to its user's, after the instance's
-- index has it. KEYS: user connections, user instances. ARGV: instance, connection, socket,
-- per-user limit (0: none).
-- Returns 1 when the user came online, 0 when added or already there, -1 over the limit.
local instance, conn, limit = ARGV[1], ARGV[2], tonumber(ARGV[4])
if limit > 0 and redis.call('HEXISTS', KEYS[1], conn) == 0 and redis.call('HLEN', KEYS[1]) >= limit then
  return -1
end
if redis.call('HSET', KEYS[1], conn, instance .. '\n' .. ARGV[3]) == 0 then
  return 0
end
redis.call('ZINCRBY', KEYS[2], 1, instance)
if redis.call('HLEN', KEYS[1]) == 1 then
  return 1
end
return 0
