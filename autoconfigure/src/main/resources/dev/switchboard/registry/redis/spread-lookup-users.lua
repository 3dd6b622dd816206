#!lua flags=allow-cross-slot-keys,no-writes
-- Spread layout: the instances that hold connections of some users, whose keys are all on
-- one node of a Cluster (or on one Redis). KEYS: the first of them, which routes the script
-- to its node; a Cluster refuses declared keys of several slots. ARGV: all of them.
-- Returns each instance once.
local found, instances = {}, {}
for _, key in ipairs(ARGV) do
  for _, instance in ipairs(redis.call('ZRANGE', key, 0, -1)) do
    if not found[instance] then
      found[instance] = true
      instances[#instances + 1] = instance
    end
  end
end
return instances
