-- Gives up the lease of an instance that shuts down. KEYS[1] = instances, KEYS[2] = purging.
-- ARGV: prefix, instance, claim (ms). Returns the number of connections still registered for
-- it. Those are left claimed by the instance for its own purge: should it fail, the claim runs
-- out and a survivor takes the purge over.
local prefix, instance, claim = ARGV[1], ARGV[2], tonumber(ARGV[3])
redis.call('ZREM', KEYS[1], instance)
local remaining = redis.call('HLEN', key.instance_index(prefix, instance))
if remaining > 0 then
  redis.call('ZADD', KEYS[2], now_ms() + claim, instance)
end
return remaining
