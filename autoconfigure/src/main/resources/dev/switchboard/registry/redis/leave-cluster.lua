-- Gives up the lease of an instance that shuts down. KEYS[1] = instances, KEYS[2] = purging.
-- ARGV: prefix, instance, claim (ms). Returns the number of connections still registered for
-- it. Those are left claimed by the instance for its own purge: should it fail, the claim runs
-- out and a survivor takes the purge over.
redis.call('ZREM', KEYS[1], ARGV[2])
local remaining = redis.call('HLEN', ARGV[1] .. 'i:' .. ARGV[2])
if remaining > 0 then
  redis.call('ZADD', KEYS[2], now_ms() + tonumber(ARGV[3]), ARGV[2])
end
return remaining
