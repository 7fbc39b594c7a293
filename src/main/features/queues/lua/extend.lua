--[[
  extend: pushes back the deadlines of the leases a worker holds.
  KEYS: the queue's nine (includes.lua), then [10…] the hash of each task, in ARGV's order.
  ARGV: common three, [4] lease ms, then pairs from [5]: id, token.
  Reply: the ids whose lease is lost (not extended).
  Atomic because the token check and the new deadline must be one step: a lease recovered
  by another worker's take in between is not extended under its new holder.
]]
local lease = tonumber(ARGV[4])
local lost = {}
for i = 5, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  local f = redis.call('HMGET', KEYS[10 + (i - 5) / 2], 'state', 'token')
  if f[1] == 'active' and f[2] == token then
    redis.call('ZADD', K_ACTIVE, 'XX', NOW + lease, id)
  else
    table.insert(lost, id)
  end
end
return lost
