-- Spread layout, the cluster-wide slot: gives up the lease of an instance that shuts down,
-- once its alive key is gone. KEYS: instances, purging.
-- ARGV: instance, connections still registered for it, claim (ms). Those are left claimed by
-- the instance for its own purge, as in leave-cluster.lua.
local instance, remaining = ARGV[1], tonumber(ARGV[2])
redis.call('ZREM', KEYS[1], instance)
if remaining > 0 then
  redis.call('ZADD', KEYS[2], now_ms() + tonumber(ARGV[3]), instance)
end
return remaining
