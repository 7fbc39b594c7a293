--[[
  register: adds fields to one hash while it holds fewer than a cap (series names to the
  registry, tag sets to a series' tag hash).
  KEYS: [1] the hash.
  ARGV: [1] cap, then field/value pairs.
  Reply: one integer per pair: 1 known or added, 0 refused (the hash is full).
  Atomic because several writers may register at once: a check then a write from each could
  together push the hash past its cap.
]]
local cap = tonumber(ARGV[1])
local out = {}
for i = 2, #ARGV, 2 do
  if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 1 then
    out[#out + 1] = 1
  elseif redis.call('HLEN', KEYS[1]) < cap then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
