--[[
  set-status: a lifecycle change. Allowed: running ⇄ paused, running | paused → stopped,
  stopped → archived.
  KEYS: the swarm's eight (includes.lua).
  ARGV: common four, [5] new status, [6] who asked.
  Reply: the new status.
  Not applied: 'not-found' (no such swarm), 'conflict' (the change is not allowed from the
          current status).
  Atomic because the allowed change depends on the current status, which another operator
  or the demo may be changing at the same moment.
]]
local status, err = need_swarm()
if err then return err end
local allowed = {
  running = { paused = true, stopped = true },
  paused = { running = true, stopped = true },
  stopped = { archived = true },
  archived = {},
}
local target = ARGV[5]
if not allowed[status][target] then
  return refuse('conflict', 'Swarm ' .. SWARM .. ' is ' .. status .. ' and cannot become ' .. target)
end
redis.call('HSET', K_SWARM, 'status', target, 'updatedAt', NOW)
emit('swarm.' .. target, 'from', status, 'by', ARGV[6])
return target
