--[[
  register: an agent joins the swarm.
  KEYS: the swarm's eight (includes.lua), [9] the agent's hash.
  ARGV: common four, [5] agent id, [6] role, [7] type, [8] capabilities (comma list),
        [9] resources (JSON), [10] weight, [11] ttlMs, [12] team ('' for none).
  Reply: 1.
  Not applied: 'not-found' (no such swarm), 'conflict' (swarm stopped or full, agent already
          registered).
  Atomic because the capacity check and the join must be one step: concurrent joins never
  push a swarm past maxAgents, and an agent is in the roster exactly when its hash exists.
]]
local status, err = need_swarm()
if err then return err end
if status == 'stopped' or status == 'archived' then return refuse('conflict', 'Swarm ' .. SWARM .. ' is ' .. status .. '; agents cannot join') end
local id, ak = ARGV[5], KEYS[9]
if redis.call('ZSCORE', K_AGENTS, id) then return refuse('conflict', 'Agent ' .. id .. ' is already registered in swarm ' .. SWARM) end
local max = tonumber(redis.call('HGET', K_SWARM, 'maxAgents'))
if redis.call('ZCARD', K_AGENTS) >= max then return refuse('conflict', 'Swarm ' .. SWARM .. ' is full (' .. max .. ' agents)') end
redis.call('ZADD', K_AGENTS, NOW, id)
redis.call('HSET', ak, 'role', ARGV[6], 'type', ARGV[7], 'capabilities', ARGV[8], 'resources', ARGV[9],
  'weight', ARGV[10], 'ttlMs', ARGV[11], 'status', 'idle', 'registeredAt', NOW, 'load', 0)
if ARGV[12] ~= '' then redis.call('HSET', ak, 'team', ARGV[12]) end
redis.call('HSET', K_SWARM, 'updatedAt', NOW)
emit('agent.registered', 'agent', id, 'role', ARGV[6])
return 1
