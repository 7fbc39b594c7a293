--[[
  delete-missing-swarm: recovery deletes the keys left behind by a swarm whose own hash is
  gone (its roster, heartbeats, agents, proposals, streams): no transition can reach them,
  since every swarm script starts by requiring the swarm.
  KEYS: [1] the swarm's hash, [2…] the keys the plan listed (all in the swarm's slot).
  ARGV: none.
  Reply: how many keys were deleted, or {'not-applied', 'conflict', why}.
  Atomic because the swarm may be created again under the same id at this moment.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return {'not-applied', 'conflict', 'the swarm exists again'} end
local n = 0
for i = 2, #KEYS do n = n + redis.call('DEL', KEYS[i]) end
return n
