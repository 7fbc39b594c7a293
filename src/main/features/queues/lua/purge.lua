--[[
  purge: deletes up to `limit` tasks of one state (waiting, delayed, finished, dead).
  KEYS: the queue's nine (includes.lua). The tasks deleted are only known inside:
        TASK_BASE .. id.
  ARGV: common three, [4] state, [5] limit.
  Reply: how many were deleted (fewer than limit: none are left).
  Not applied: 'invalid' for a state that cannot be purged (active tasks are held by workers).
  Atomic because a task's hash and its set entry go together: a worker never takes an id
  whose hash is gone.
]]
local sets = { waiting = K_WAIT, delayed = K_DELAYED, finished = K_FINISHED, dead = K_DEAD }
local set = sets[ARGV[4]]
if not set then return { 'not-applied', 'invalid', 'Tasks in state ' .. tostring(ARGV[4]) .. ' cannot be purged' } end
local ids = redis.call('ZRANGE', set, 0, tonumber(ARGV[5]) - 1)
for _, id in ipairs(ids) do redis.call('DEL', TASK_BASE .. id) end
if #ids > 0 then redis.call('ZREM', set, unpack(ids)) end
emit('purged', '', 'state', ARGV[4], 'count', #ids)
return #ids
