--[[
  operate: an operator's action on one task: retry (dead → waiting, fresh attempt budget),
  promote (delayed → waiting) or cancel (any unfinished state → finished as cancelled).
  KEYS: the queue's nine (includes.lua), [10] the task's hash.
  ARGV: common three, [4] action, [5] id.
  Reply: the task's new state.
  Not applied: 'not-found' (no such task), 'conflict' (the action does not apply to its state),
          'invalid' (unknown action).
  Atomic because the state is checked and changed in one step while workers take, fail and
  complete the same task: a task cancelled here cannot be leased in between.
]]
local action, id, tk = ARGV[4], ARGV[5], KEYS[10]
local state = redis.call('HGET', tk, 'state')
if not state then return { 'not-applied', 'not-found', 'Task ' .. id .. ' does not exist' } end
if action == 'retry' then
  if state ~= 'dead' then return { 'not-applied', 'conflict', 'Task ' .. id .. ' is ' .. state .. ', only dead tasks can be retried' } end
  redis.call('ZREM', K_DEAD, id)
  redis.call('HSET', tk, 'attempts', 0)
  redis.call('HDEL', tk, 'finishedAt', 'error')
  to_wait(id, tk)
  emit('retried', id)
  return 'waiting'
elseif action == 'promote' then
  if state ~= 'delayed' then return { 'not-applied', 'conflict', 'Task ' .. id .. ' is ' .. state .. ', only delayed tasks can be promoted' } end
  redis.call('ZREM', K_DELAYED, id)
  to_wait(id, tk)
  emit('promoted', id)
  return 'waiting'
elseif action == 'cancel' then
  if state == 'completed' or state == 'cancelled' or state == 'dead' then
    return { 'not-applied', 'conflict', 'Task ' .. id .. ' is already ' .. state }
  end
  redis.call('ZREM', K_WAIT, id)
  redis.call('ZREM', K_DELAYED, id)
  redis.call('ZREM', K_ACTIVE, id)
  redis.call('HSET', tk, 'state', 'cancelled', 'finishedAt', NOW)
  redis.call('HDEL', tk, 'token', 'holder')
  redis.call('ZADD', K_FINISHED, NOW, id)
  emit('cancelled', id)
  return 'cancelled'
end
return { 'not-applied', 'invalid', 'Unknown task action ' .. tostring(action) }
