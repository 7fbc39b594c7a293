--[[
  route-set: stores, replaces or deletes one route and announces the routes' new version.
  KEYS: [1] routes hash (name → route JSON), [2] version counter.
  ARGV: [1] route name, [2] route JSON ('' deletes), [3] wake-up channel, [4] most routes kept.
  Reply: {new version, 1 when something changed else 0}.
  Not applied: 'conflict' when a new route would pass the limit (every process loads them all).
  Atomic because the route and the version every process compares against must change
  together: a process that sees the new version always reads the new routes.
]]
local changed
if ARGV[2] == '' then
  changed = redis.call('HDEL', KEYS[1], ARGV[1])
else
  if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then
    return { 'not-applied', 'conflict', 'there are already ' .. ARGV[4] .. ' routes: delete one first' }
  end
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  changed = 1
end
local version
if changed == 1 then
  version = redis.call('INCR', KEYS[2])
else
  version = tonumber(redis.call('GET', KEYS[2]) or '0')
end
if changed == 1 then redis.call('PUBLISH', ARGV[3], version) end
return { version, changed }
