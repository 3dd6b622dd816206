-- Spread layout, the cluster-wide slot: ends a purge batch. KEYS: purging.
-- ARGV: instance, connections remaining, claim (ms), whether to renew the claim.
-- Releases the claim when none remains, else renews it if asked. Returns the remaining.
local instance, remaining = ARGV[1], tonumber(ARGV[2])
if remaining == 0 then
  redis.call('ZREM', KEYS[1], instance)
elseif ARGV[4] == '1' then
  redis.call('ZADD', KEYS[1], now_ms() + tonumber(ARGV[3]), instance)
end
return remaining
