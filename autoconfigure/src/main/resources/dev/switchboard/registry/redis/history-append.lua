-- Appends a message to a stream's history. KEYS[1] = the history, KEYS[2] = its position,
-- in the single-slot layout KEYS[3] = the registry's epoch. ARGV: message, most messages
-- kept, longest age kept (ms), how long the position outlives the last message (ms), the
-- registry's epoch this instance knows. Returns {epoch, offset}; {-1} without appending when
-- Redis lost the registry's data, as the send that follows would find.
if KEYS[3] and ARGV[5] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[5] then
  return {-1}
end
local epoch, offset, now = history_next(KEYS[2])
history_add(KEYS[1], KEYS[2], ARGV[1], offset, ARGV[2], ARGV[3], ARGV[4], now)
return {epoch, offset}
