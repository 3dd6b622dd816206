-- Spread layout, the instance's slot: ends removing a connection, once its user's and
-- rooms' slots no longer hold it. KEYS: closing, connection rooms. ARGV: connection.
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return 1
