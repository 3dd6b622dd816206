-- Registers a connection. KEYS[1] = instances.
-- ARGV: prefix, instance, connection, socket, user ("" if anonymous), per-user limit (0: none),
-- connected since (ms), remote address ("" if unknown)
-- Returns 1 when the user came online, 0 when registered, -1 over the limit, -2 when the
-- instance holds no lease (it must register again first).
local prefix, instance, conn, socket, user = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local limit = tonumber(ARGV[6])
if not redis.call('ZSCORE', KEYS[1], instance) then
  return -2
end
local connections = key.user_connections(prefix, user)
if user ~= '' and limit > 0 and redis.call('HEXISTS', connections, conn) == 0
    and redis.call('HLEN', connections) >= limit then
  return -1
end
local entry = socket .. '\n' .. ARGV[7] .. '\n' .. ARGV[8] .. '\n' .. user
if redis.call('HSET', key.instance_index(prefix, instance), conn, entry) == 1 then
  redis.call('HINCRBY', key.socket_connections(prefix), socket, 1)
end
if user == '' then
  return 0
end
if redis.call('HSET', connections, conn, instance .. '\n' .. socket) == 1 then
  redis.call('ZINCRBY', key.user_instances(prefix, user), 1, instance)
end
return redis.call('SADD', key.online(prefix), user)
