-- Publishes an envelope once to the other instances holding recipients, after one lookup.
-- KEYS[1] = instances.
-- ARGV: prefix, channel prefix, this instance, kind ("u" users, "r" room, "c" connection),
-- envelope, then the names (users, one room, or one connection id).
-- Publishes on the instance's own channel when one instance holds recipients, on the bus
-- channel when several do, not at all when none does. Returns the number of instances.
local p, channels, self, kind, envelope = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local found, count, last = {}, 0, nil
local function add(instance)
  if instance ~= self and not found[instance] then
    found[instance] = true
    count = count + 1
    last = instance
  end
end
local instances = {}
if kind == 'u' and #ARGV == 6 then
  instances = redis.call('ZRANGE', p .. 'ui:' .. ARGV[6], 0, -1)
elseif kind == 'u' then
  local keys = {}
  for i = 6, #ARGV do
    keys[#keys + 1] = p .. 'ui:' .. ARGV[i]
  end
  instances = redis.call('ZUNION', #keys, unpack(keys))
elseif kind == 'r' then
  instances = redis.call('ZRANGE', p .. 'ri:' .. ARGV[6], 0, -1)
elseif kind == 'c' then
  local instance = string.match(ARGV[6], '^([^.]+)%.')
  if instance and redis.call('HEXISTS', p .. 'i:' .. instance, ARGV[6]) == 1 then
    instances = { instance }
  end
end
for _, instance in ipairs(instances) do
  add(instance)
end
if count == 1 then
  redis.call('PUBLISH', channels .. 'i:' .. last, envelope)
elseif count > 1 then
  redis.call('PUBLISH', channels .. 'bus', envelope)
end
return count
