--[[
  acquire: takes a free lock, or queues the caller among its visible waiters.
  KEYS: [1] lock string with the lease as its TTL: `<token>|<fence>|<acquiredAt>|<owner>`,
        [2] fence counter (never expires), [3] waiters zset (waiter id by deadline, ms).
  ARGV: [1] owner token (36 characters), [2] ttl ms, [3] owner label, [4] waiter id ('' when
        not waiting), [5] the waiter's deadline (ms), [6] now (ms, the caller's clock).
  Reply: the fence when taken.
  Not applied: {'not-applied', 'conflict', sentence, pttl of the holder's lease} when held by
         another.
  Atomic because the check that nobody holds the lock, the next fencing token and the lease
  are one step: two callers can never both win, and every holder's fence is strictly larger
  than the last one handed out, even after the previous lease expired.
  The free path is three calls when nobody waits: it is the one every uncontended acquisition
  takes, so it is kept as short as Redlock's (EXISTS, SET) plus the fence.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  -- Waiters that gave up without saying so (crashed) leave once their deadline passes.
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[6])
  if ARGV[4] ~= '' then redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4]) end
  return { 'not-applied', 'conflict', 'The lock is held by another owner', redis.call('PTTL', KEYS[1]) }
end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. fence .. '|' .. ARGV[6] .. '|' .. ARGV[3], 'PX', ARGV[2])
if ARGV[4] ~= '' then redis.call('ZREM', KEYS[3], ARGV[4]) end
return fence
