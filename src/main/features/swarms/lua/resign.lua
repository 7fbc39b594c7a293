--[[
  resign: the leader gives up its lease, or an operator steps it down.
  KEYS: the swarm's eight (includes.lua).
  ARGV: common four, [5] agent id ('' when an operator steps the leader down), [6] its epoch,
        [7] reason.
  Reply: the agent that led.
  Not applied: 'not-found' (no such swarm, or no leader), 'lease-lost' (the resigning agent no
          longer holds that epoch).
  Atomic because a resignation must only drop the lease of the epoch it names: a newer
  leader elected in between keeps its lease.
]]
local status, err = need_swarm()
if err then return err end
local holder, epoch = leader_of()
if not holder then return refuse('not-found', 'Swarm ' .. SWARM .. ' has no leader') end
if ARGV[5] ~= '' and (holder ~= ARGV[5] or epoch ~= ARGV[6]) then
  return refuse('lease-lost', 'Leadership of epoch ' .. ARGV[6] .. ' in swarm ' .. SWARM .. ' is gone')
end
redis.call('DEL', K_LEADER)
local by = 'self'
if ARGV[5] == '' then by = 'operator' end
emit('leader.stepped-down', 'agent', holder, 'epoch', epoch, 'by', by, 'reason', ARGV[7])
return holder
