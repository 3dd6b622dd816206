-- Renews the lease of an instance. KEYS[1] = instances, KEYS[2] = purging.
-- ARGV: prefix, instance, lease (ms), candidate epoch.
-- Returns { status, epoch }: status 1 when the lease was held, 0 when it was lost and is now
-- held again (the instance must register its connections again), -1 while survivors are
-- still purging the instance (it must wait for the purge to end).
local p, instance, lease, candidate = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local epoch = redis.call('GET', p .. 'epoch')
if not epoch then
  redis.call('SET', p .. 'epoch', candidate)
  epoch = candidate
end
if redis.call('ZSCORE', KEYS[2], instance) then
  return { -1, epoch }
end
local held = redis.call('ZSCORE', KEYS[1], instance)
redis.call('ZADD', KEYS[1], now_ms() + lease, instance)
if held then
  return { 1, epoch }
end
return { 0, epoch }
