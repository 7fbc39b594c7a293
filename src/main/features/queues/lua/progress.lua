--[[
  progress: a held task reports progress.
  KEYS: the queue's nine (includes.lua), [10] the task's hash.
  ARGV: common three, [4] id, [5] token, [6] progress (JSON).
  Reply: 1.
  Not applied: 'lease-lost' when the caller no longer holds the lease.
  Atomic because only the current holder may write: the check and the write are one step.
]]
local refused = check_lease(KEYS[10], ARGV[4], ARGV[5])
if refused then return refused end
redis.call('HSET', KEYS[10], 'progress', ARGV[6])
emit('progress', ARGV[4], 'progress', ARGV[6])
return 1
