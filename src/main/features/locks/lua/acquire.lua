--[[
  acquire: takes a free lock, or queues the caller among its visible waiters.
  KEYS: [1] lock hash (token, fence, owner, acquiredAt, ttlMs; expires with the lease),
        [2] fence counter (never expires), [3] waiters zset (waiter id by deadline, ms).
  ARGV: [1] owner token, [2] ttl ms, [3] owner label, [4] waiter id ('' when not waiting),
        [5] the waiter's deadline (ms, the caller's clock).
  Reply: {1, fence} when taken; {0, pttl of the holder's lease} when held by another.
  Atomic because the check that nobody holds the lock, the next fencing token and the lease
  are one step: two callers can never both win, and every holder's fence is strictly larger
  than the last one handed out, even after the previous lease expired.
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
-- Waiters that gave up without saying so (crashed) leave once their deadline passes.
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if redis.call('EXISTS', KEYS[1]) == 1 then
  if ARGV[4] ~= '' then redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4]) end
  return { 0, redis.call('PTTL', KEYS[1]) }
end
local fence = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'token', ARGV[1], 'fence', fence, 'owner', ARGV[3], 'acquiredAt', now, 'ttlMs', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if ARGV[4] ~= '' then redis.call('ZREM', KEYS[3], ARGV[4]) end
return { 1, fence }
