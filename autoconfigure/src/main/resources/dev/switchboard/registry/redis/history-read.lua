-- Reads the messages of a stream's history after a position. KEYS[1] = the history,
-- KEYS[2] = its position. ARGV: the epoch asked for ('' for a stream that had no message
-- yet), the offset asked for, longest age kept (ms), '1' to read only the current position.
-- Returns {epoch, offset, complete (1 or 0), message...}: the current position, whether the
-- messages are all those after the position asked for, and those messages, oldest first.
local epoch = redis.call('HGET', KEYS[2], 'e') or ''
local top = tonumber(redis.call('HGET', KEYS[2], 'o') or '0')
local asked_epoch, asked = ARGV[1], tonumber(ARGV[2])
if ARGV[4] == '1' then
  return {epoch, top, 1}
end
if asked_epoch ~= epoch and not (asked_epoch == '' and asked == 0) then
  return {epoch, top, 0}
end
local missed = top - asked
if missed == 0 then
  return {epoch, top, 1}
end
if missed < 0 then
  return {epoch, top, 0}
end
local entries = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', missed)
if #entries < missed then
  return {epoch, top, 0}
end
local now = redis.call('TIME')
local oldest = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[3])
local first = entries[#entries]
if tonumber(string.match(first[1], '^(%d+)')) < oldest then
  return {epoch, top, 0}
end
local result = {epoch, top, 1}
for i = #entries, 1, -1 do
  local fields = entries[i][2]
  for f = 1, #fields, 2 do
    if fields[f] == 'd' then
      result[#result + 1] = fields[f + 1]
    end
  end
end
return result
