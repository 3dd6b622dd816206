-- Unregisters a connection and its rooms. KEYS[1] = instances.
-- ARGV: prefix, instance, connection. Returns 1 when its user went offline, else 0.
if remove_connection(ARGV[1], ARGV[2], ARGV[3]) then
  return 1
end
return 0
