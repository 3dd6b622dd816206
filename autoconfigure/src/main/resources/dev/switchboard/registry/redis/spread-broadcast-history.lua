-- A broadcast to a socket's stream with history, in the spread layout, in one step: the
-- history shares the slot of the shared channel, so one script run gives the message its
-- position, publishes it as send-history.lua does (envelope version 3) and keeps it. KEYS[1] =
-- the stream's history, KEYS[2] = its position. ARGV: the shared channel, the envelope, "1" to
-- publish with SPUBLISH (sharded pub/sub) or PUBLISH, the message, most messages kept, longest
-- age kept (ms), how long the position outlives the last message (ms). Returns {instances,
-- epoch, offset}: the other instances that received it, as Redis counts them.
local epoch, offset, now = history_next(KEYS[2])
local stamped = '\3' .. epoch .. '\n' .. offset .. '\n' .. ARGV[2]
local received = redis.call((ARGV[3] == '1') and 'SPUBLISH' or 'PUBLISH', ARGV[1], stamped)
history_add(KEYS[1], KEYS[2], ARGV[4], offset, ARGV[5], ARGV[6], ARGV[7], now)
return {math.max(0, received - 1), epoch, offset}
