-- Gives up the lease of an instance that shuts down. KEYS[1] = instances.
-- ARGV: prefix, instance. Returns the number of connections still registered for it.
redis.call('ZREM', KEYS[1], ARGV[2])
return redis.call('HLEN', ARGV[1] .. 'i:' .. ARGV[2])
