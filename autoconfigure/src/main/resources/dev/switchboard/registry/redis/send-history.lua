-- A send to a stream with history, in one step: the message gets the stream's next position,
-- is published with it as send.lua publishes, and is added to the history; nothing is kept
-- when nothing is published. KEYS[1] = instances, KEYS[2] = the stream's history, KEYS[3] =
-- its position. ARGV: prefix, channel prefix, this instance, kind ("u" a user, "r" a room,
-- "s" a socket's broadcast), envelope, the epoch this instance knows, whether Redis's count of
-- receivers covers every subscriber ("1"), the message, most messages kept, longest age kept
-- (ms), how long the position outlives the last message (ms), then the name (user or room).
-- The envelope is published after a prefix with the position: version 3, the epoch and the
-- offset on lines, then the envelope. Returns {instances, epoch, offset}; {-1} when the data
-- set is not the one this instance registered in, {-2} when no subscriber received it.
local prefix, channel_prefix, self, kind, known = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[6]
if known ~= '' and redis.call('GET', key.epoch(prefix)) ~= known then
  return {-1}
end
local epoch, offset, now = history_next(KEYS[3])
local stamped = '\3' .. epoch .. '\n' .. offset .. '\n' .. ARGV[5]
local count
if kind == 's' then
  count = math.max(0, redis.call('PUBLISH', channel.bus(channel_prefix), stamped) - 1)
else
  count = send_envelope(prefix, channel_prefix, self, kind, stamped, ARGV[7] == '1', 12)
end
if count < 0 then
  redis.call('HINCRBY', KEYS[3], 'o', -1)
  return {count}
end
history_add(KEYS[2], KEYS[3], ARGV[8], offset, ARGV[9], ARGV[10], ARGV[11], now)
return {count, epoch, offset}
