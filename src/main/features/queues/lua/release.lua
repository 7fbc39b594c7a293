--[[
  release: a worker shutting down hands a held task back; the attempt does not count.
  KEYS: the queue's nine (includes.lua), [10] the task's hash.
  ARGV: common three, [4] id, [5] token.
  Reply: 1.
  Not applied: 'lease-lost' when the caller no longer holds the lease.
  Atomic because the lease check, the attempt refund and the move back to `wait` with its
  wake-up token must agree.
]]
local id, tk = ARGV[4], KEYS[10]
local refused = check_lease(tk, id, ARGV[5])
if refused then return refused end
redis.call('ZREM', K_ACTIVE, id)
redis.call('HINCRBY', tk, 'attempts', -1)
to_wait(id, tk)
emit('released', id)
return 1
