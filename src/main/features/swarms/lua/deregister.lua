--[[
  deregister: an agent leaves (or an operator removes it). A leader that leaves gives up the
  lease with it.
  KEYS: the swarm's eight (includes.lua), [9] the agent's hash.
  ARGV: common four, [5] agent id, [6] who asked.
  Reply: 1.
  Not applied: 'not-found' when the agent is not registered.
  Atomic because roster, heartbeat deadline, hash and leadership must all drop together: a
  removed agent must not stay leader, nor count as live.
]]
local id = ARGV[5]
if redis.call('ZREM', K_AGENTS, id) == 0 then return not_registered(id) end
redis.call('ZREM', K_HB, id)
redis.call('DEL', KEYS[9])
local leader, epoch = leader_of()
if leader == id then
  redis.call('DEL', K_LEADER)
  emit('leader.stepped-down', 'agent', id, 'epoch', epoch, 'by', 'deregistration')
end
redis.call('HSET', K_SWARM, 'updatedAt', NOW)
emit('agent.deregistered', 'agent', id, 'by', ARGV[6])
return 1
