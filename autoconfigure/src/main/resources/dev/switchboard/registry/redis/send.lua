-- Publishes an envelope once to the other instances holding recipients, after one lookup.
-- KEYS[1] = instances.
-- ARGV: prefix, channel prefix, this instance, kind ("u" users, "r" room, "c" connection),
-- envelope, the epoch this instance knows ("" before its first heartbeat), whether Redis's
-- count of receivers covers every subscriber ("1"; not with classic pub/sub on a Cluster,
-- where it covers the node's), then the names (users, one room, or one connection id).
-- Publishes on the instance's own channel when one instance holds recipients, on the bus
-- channel when several do, not at all when none does. Returns the number of instances; -1
-- without publishing when the data set is not the one this instance registered in (Redis
-- lost its data, and the lookup would miss connections that are open); -2 when no
-- subscriber received it (Redis dropped it: the instance is not subscribed).
local prefix, channel_prefix, self, kind, envelope, known = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local counts_receivers = ARGV[7] == '1'
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
if kind == 'u' and #ARGV == 8 then
  add_all(redis.call('ZRANGE', key.user_instances(prefix, ARGV[8]), 0, -1))
elseif kind == 'u' then
  -- One ZUNION per 1000 users: unpack takes a few thousand values at most.
  for from = 8, #ARGV, 1000 do
    local sets = {}
    for i = from, math.min(#ARGV, from + 999) do
      sets[#sets + 1] = key.user_instances(prefix, ARGV[i])
    end
    add_all(redis.call('ZUNION', #sets, unpack(sets)))
  end
elseif kind == 'r' then
  add_all(redis.call('ZRANGE', key.room_instances(prefix, ARGV[8]), 0, -1))
elseif kind == 'c' then
  local instance = string.match(ARGV[8], '^([^.]+)%.')
  if instance and redis.call('HEXISTS', key.instance_index(prefix, instance), ARGV[8]) == 1 then
    add(instance)
  end
end
local received = count
if count == 1 then
  received = redis.call('PUBLISH', channel.instance(channel_prefix, last), envelope)
elseif count > 1 then
  received = redis.call('PUBLISH', channel.bus(channel_prefix), envelope)
end
if counts_receivers and count > 0 and received == 0 then
  return -2
end
return count
