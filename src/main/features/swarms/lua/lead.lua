--[[
  lead: campaign for, or renew, the swarm's leadership lease.
  KEYS: the swarm's eight (includes.lua), [9] the candidate's hash.
  ARGV: common four, [5] agent id, [6] lease ms, [7] epoch held ('' to campaign).
  Reply: campaigning: the new epoch, the held one when the agent already leads, or 0 while
         another agent leads (or the swarm is not running). Renewing: the epoch.
  Not applied: 'lease-lost' (renewing a lease that is gone or belongs to a later epoch),
               'not-found' (no such swarm, or a candidate that is not registered).
  Atomic because the check that nobody leads, the next epoch and the lease are one step: two
  candidates can never both win, and every leader's fencing epoch is strictly larger.
]]
local status, err = need_swarm()
if err then return err end
local id = ARGV[5]
local holder, epoch = leader_of()
if ARGV[7] ~= '' then
  if holder ~= id or epoch ~= ARGV[7] then return refuse('lease-lost', 'Leadership of epoch ' .. ARGV[7] .. ' in swarm ' .. SWARM .. ' is gone') end
  redis.call('PEXPIRE', K_LEADER, ARGV[6])
  return tonumber(epoch)
end
if not redis.call('HGET', KEYS[9], 'ttlMs') then return not_registered(id) end
if holder == id then
  redis.call('PEXPIRE', K_LEADER, ARGV[6])
  return tonumber(epoch)
end
if holder then return 0 end
if status ~= 'running' then return 0 end
local next_epoch = redis.call('HINCRBY', K_SWARM, 'epoch', 1)
redis.call('SET', K_LEADER, id .. '|' .. next_epoch, 'PX', ARGV[6])
local previous = redis.call('HGET', K_SWARM, 'lastLeader') or ''
redis.call('HSET', K_SWARM, 'lastLeader', id, 'updatedAt', NOW)
emit('leader.elected', 'agent', id, 'epoch', next_epoch, 'previous', previous)
return next_epoch
