-- Appends a message to a stream's history. KEYS[1] = the history, KEYS[2] = its position,
-- in the single-slot layout KEYS[3] = the registry's epoch. ARGV: message, most messages
-- kept, longest age kept (ms), how long the position outlives the last message (ms), the
-- registry's epoch this instance knows. Returns {epoch, offset}; {-1} without appending when
-- Redis lost the registry's data, as the send that follows would find. The epoch is made from Redis's clock when
-- the stream has no position: a history that Redis lost, or whose position expired, begins
-- a new epoch, which tells clients that their positions no longer apply.
if KEYS[3] and ARGV[5] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[5] then
  return {-1}
end
local now = redis.call('TIME')
local epoch = redis.call('HGET', KEYS[2], 'e')
if not epoch then
  epoch = now[1] .. string.format('%06d', tonumber(now[2]))
  redis.call('HSET', KEYS[2], 'e', epoch)
end
local offset = redis.call('HINCRBY', KEYS[2], 'o', 1)
local age = tonumber(ARGV[3])
local oldest = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - age
redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[2], '*', 'o', offset, 'd', ARGV[1])
redis.call('XTRIM', KEYS[1], 'MINID', oldest)
redis.call('PEXPIRE', KEYS[1], age)
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return {epoch, offset}
