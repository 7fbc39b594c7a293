--[[
  recover-lease: recovery's requeue of one task whose lease ran out while its holder is gone.
  It is the queue's own stalled-lease transition (`recover_stalled` in queues/lua/includes.lua,
  prepended here): attempt history, stalled counter and event, then dead when the attempts are
  used up, else back to waiting with a wake-up token. Unlike a worker's take, which recovers
  every expired lease it meets, it moves only the one task the plan names.
  KEYS: the queue's nine (queues/lua/includes.lua), [10] the task's hash.
  ARGV: common three, [4] id, [5] the holder the plan saw.
  Reply: the new state ('waiting' or 'dead'), or {'not-applied', 'conflict', why} when the condition no longer holds.
  Atomic because a worker may extend, complete or fail the same lease at this moment: the
  deadline and holder are checked and the task moved in one step, so a lease that came back
  to life is never taken from under its holder.
]]
local id, tk, holder = ARGV[4], KEYS[10], ARGV[5]
local deadline = redis.call('ZSCORE', K_ACTIVE, id)
if not deadline then return {'not-applied', 'conflict', 'the task is no longer active'} end
if tonumber(deadline) > NOW then return {'not-applied', 'conflict', 'the lease was extended'} end
local f = redis.call('HMGET', tk, 'attempts', 'maxAttempts', 'holder')
if (f[3] or '') ~= holder then return {'not-applied', 'conflict', 'another holder has the task'} end
local attempts, max = tonumber(f[1]), tonumber(f[2])
redis.call('ZREM', K_ACTIVE, id)
remember(tk, { attempt = attempts, error = 'lease expired', holder = f[3], at = NOW })
redis.call('HINCRBY', K_META, 'stalled', 1)
emit('stalled', id, 'holder', f[3] or '', 'by', 'recovery')
if attempts >= max then
  to_dead(id, tk, 'lease expired on attempt ' .. attempts .. ' of ' .. max)
  return 'dead'
end
to_wait(id, tk)
return 'waiting'
