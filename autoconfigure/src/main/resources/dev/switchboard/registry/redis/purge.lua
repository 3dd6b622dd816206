-- Removes a batch of a claimed instance's connections. KEYS[1] = purging.
-- ARGV: prefix, instance, batch size, claim (ms), whether to release the claim when done.
-- Returns { remaining, user1, connection1, user2, connection2, ... } for the users that went
-- offline. Batches keep each script short: Redis runs nothing else meanwhile.
local prefix, instance, batch, claim = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local index = key.instance_index(prefix, instance)
local result = { 0 }
local connections = redis.call('HRANDFIELD', index, batch)
for _, conn in ipairs(connections) do
  local user = remove_connection(prefix, instance, conn)
  if user then
    result[#result + 1] = user
    result[#result + 1] = conn
  end
end
local remaining = redis.call('HLEN', index)
result[1] = remaining
if remaining == 0 then
  redis.call('ZREM', KEYS[1], instance)
elseif ARGV[5] == '1' then
  redis.call('ZADD', KEYS[1], now_ms() + claim, instance)
end
return result
