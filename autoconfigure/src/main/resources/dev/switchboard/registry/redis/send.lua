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
if known ~= '' and redis.call('GET', key.epoch(prefix)) ~= known then
  return -1
end
return send_envelope(prefix, channel_prefix, self, kind, envelope, ARGV[7] == '1', 8)
