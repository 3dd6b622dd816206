-- Claims dead instances for this instance to purge. KEYS[1] = instances, KEYS[2] = purging.
-- ARGV: prefix, this instance, claim (ms), limit.
-- An instance whose lease ran out moves to purging, claimed until a deadline; a claim whose
-- purger died is taken over. Scripts run one at a time, so each claim has one owner.
local self, claim, limit = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local now = now_ms()
local claimed = {}
for _, instance in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit)) do
  if instance ~= self then
    redis.call('ZREM', KEYS[1], instance)
    redis.call('ZADD', KEYS[2], now + claim, instance)
    claimed[#claimed + 1] = instance
  end
end
for _, instance in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)) do
  if instance ~= self then
    redis.call('ZADD', KEYS[2], now + claim, instance)
    claimed[#claimed + 1] = instance
  end
end
return claimed
