-- Publishes an envelope once to the other instances holding recipients, after one lookup.
-- KEYS[1] = instances.
-- ARGV: prefix, channel prefix, this instance, kind ("u" users, "r" room, "c" connection),
-- envelope, the epoch this instance knows ("" before its first heartbeat), then the names
-- (users, one room, or one connection id).
-- Publishes on the instance's own channel when one instance holds recipients, on the bus
-- channel when several do, not at all when none does. Returns the number of instances; -1
-- without publishing when the data set is not the one this instance registered in (Redis
-- lost its data, and the lookup would miss connections that are open); -2 when fewer
-- instances received the message than hold recipients (one is not subscribed: Redis
-- dropped it there).
local prefix, channel_prefix, self, kind, envelope, known = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if known ~= '' and redis.call('GET', key.epoch(prefix)) ~= known then
  return -1
end
local found, count, last = {}, 0, nil
local function add(instance)
  if instance ~= self and not found[instance] then
    found[instance] = true
    count = count + 1
    last = instance
  end
end
local function add_all(instances)
  for _, instance in ipairs(instances) do
    add(instance)
  end
end
if kind == 'u' and #ARGV == 7 then
  add_all(redis.call('ZRANGE', key.user_instances(prefix, ARGV[7]), 0, -1))
elseif kind == 'u' then
  -- One ZUNION per 1000 users: unpack takes a few thousand values at most.
  for from = 7, #ARGV, 1000 do
    local sets = {}
    for i = from, math.min(#ARGV, from + 999) do
      sets[#sets + 1] = key.user_instances(prefix, ARGV[i])
    end
    add_all(redis.call('ZUNION', #sets, unpack(sets)))
  end
elseif kind == 'r' then
  add_all(redis.call('ZRANGE', key.room_instances(prefix, ARGV[7]), 0, -1))
elseif kind == 'c' then
  local instance = string.match(ARGV[7], '^([^.]+)%.')
  if instance and redis.call('HEXISTS', key.instance_index(prefix, instance), ARGV[7]) == 1 then
    add(instance)
  end
end
local received = count
if count == 1 then
  received = redis.call('PUBLISH', channel.instance(channel_prefix, last), envelope)
elseif count > 1 then
  received = redis.call('PUBLISH', channel.bus(channel_prefix), envelope)
end
if received < count then
  return -2
end
return count
