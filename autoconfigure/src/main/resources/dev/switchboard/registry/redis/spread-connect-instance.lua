-- Spread layout, the instance's slot: registers a connection in its instance's index.
-- KEYS: index, sockets, alive (of the instance). ARGV: connection, socket, connected since
-- (ms), remote address ("" if unknown), user ("" if anonymous).
-- Returns 0 when registered, -2 when the instance holds no lease.
if redis.call('EXISTS', KEYS[3]) == 0 then
  return -2
end
local entry = ARGV[2] .. '\n' .. ARGV[3] .. '\n' .. ARGV[4] .. '\n' .. ARGV[5]
if redis.call('HSET', KEYS[1], ARGV[1], entry) == 1 then
  redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
end
return 0
