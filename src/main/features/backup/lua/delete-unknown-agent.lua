--[[
  delete-unknown-agent: recovery deletes an agent hash whose agent is not in its swarm's
  roster (register writes both together, deregister drops both: such a hash counts nowhere).
  KEYS: [1] the swarm's agents zset, [2] the agent's hash.
  ARGV: [1] agent id.
  Reply: 'deleted', or {'not-applied', 'conflict', why}.
  Atomic because the agent may register again at this moment.
]]
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return {'not-applied', 'conflict', 'the agent is registered again'} end
if redis.call('DEL', KEYS[2]) == 0 then return {'not-applied', 'conflict', 'the agent hash is already gone'} end
return 'deleted'
