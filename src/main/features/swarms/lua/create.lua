--[[
  create: a new swarm, running, with leader epoch 0.
  KEYS: the swarm's eight (includes.lua).
  ARGV: common four, [5] id, [6] name, [7] objective, [8] topology, [9] strategy, [10] maxAgents.
  Reply: 'running'.
  Not applied: 'conflict' when the swarm exists.
  Atomic because two operators creating the same id must not both succeed and overwrite
  each other's definition.
]]
if redis.call('EXISTS', K_SWARM) == 1 then return refuse('conflict', 'Swarm ' .. ARGV[5] .. ' already exists') end
redis.call('HSET', K_SWARM, 'id', ARGV[5], 'name', ARGV[6], 'objective', ARGV[7], 'topology', ARGV[8],
  'strategy', ARGV[9], 'maxAgents', ARGV[10], 'status', 'running', 'createdAt', NOW, 'updatedAt', NOW, 'epoch', 0)
emit('swarm.created', 'swarm', ARGV[5], 'topology', ARGV[8], 'strategy', ARGV[9])
return 'running'
