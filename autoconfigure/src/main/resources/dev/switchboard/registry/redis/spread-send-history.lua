-- A send to a room's or a user's stream with history, in the spread layout: one script run on
-- the slot of the room or user, whose hash tag the history shares, looks up the instances that
-- hold recipients and gives the message its position and keeps it, so that the publishes that
-- follow carry only what the history holds. KEYS[1] = the room's or user's instances, KEYS[2] =
-- the stream's history, KEYS[3] = its position. ARGV: the message, most messages kept, longest
-- age kept (ms), how long the position outlives the last message (ms). Returns {epoch, offset,
-- instance, ...}.
local epoch, offset, now = history_next(KEYS[3])
history_add(KEYS[2], KEYS[3], ARGV[1], offset, ARGV[2], ARGV[3], ARGV[4], now)
local result = {epoch, offset}
for _, instance in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  result[#result + 1] = instance
end
return result
