--[[
  stop-idle-swarm: recovery marks stopped a swarm that claims to run while no agent of it is
  live (the set-status transition running → stopped, with its event).
  KEYS: the swarm's eight (swarms/lua/includes.lua, prepended).
  ARGV: common four, [5] who asked.
  Reply: 'stopped', or {'not-applied', 'conflict', why} when the swarm is no longer running or an agent is live again.
  Atomic because an agent may heartbeat at this moment: liveness is read and the status
  changed in one step, so a swarm that came back to life is never stopped.
]]
local status, err = need_swarm()
if err then return {'not-applied', 'conflict', 'the swarm no longer exists'} end
if status ~= 'running' then return {'not-applied', 'conflict', 'the swarm is ' .. status} end
local live = redis.call('ZCOUNT', K_HB, NOW, '+inf')
if live > 0 then return {'not-applied', 'conflict', live .. ' agent(s) are live again'} end
redis.call('HSET', K_SWARM, 'status', 'stopped', 'updatedAt', NOW)
emit('swarm.stopped', 'from', status, 'by', ARGV[5])
return 'stopped'
