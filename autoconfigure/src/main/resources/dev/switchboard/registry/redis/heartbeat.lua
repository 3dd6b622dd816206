-- Renews the lease of an instance. KEYS[1] = instances, KEYS[2] = purging.
-- ARGV: prefix, instance, lease (ms), candidate epoch.
-- Returns { status, epoch }: status 1 when the lease was held, 0 when it was lost and is now
-- held again (the instance must register its connections again), -1 while a survivor's claim
-- to purge the instance runs (it must wait for the purge to end).
local prefix, instance, lease, candidate = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local epoch = redis.call('GET', key.epoch(prefix))
if not epoch then
  redis.call('SET', key.epoch(prefix), candidate)
  epoch = candidate
end
local claim = redis.call('ZSCORE', KEYS[2], instance)
if claim and tonumber(claim) > now_ms() then
  return { -1, epoch }
end
-- An abandoned purge of this instance, by itself at shutdown or by a dead survivor: the
-- instance takes it back and removes the leftovers itself.
redis.call('ZREM', KEYS[2], instance)
local held = redis.call('ZSCORE', KEYS[1], instance)
redis.call('ZADD', KEYS[1], now_ms() + lease, instance)
if held then
  return { 1, epoch }
end
return { 0, epoch }
