--[[
  fail: a held task failed; it is scheduled for a retry with backoff, or dead-lettered.
  KEYS: the queue's nine (includes.lua), [10] the task's hash.
  ARGV: common three, [4] id, [5] token, [6] error message, [7] stack, [8] retryable ('1'/'0'),
        [9] jitter in [0,1), [10] holder.
  Reply: { 'delayed', delay ms } or { 'dead', '0' }.
  Not applied: 'lease-lost' when the caller no longer holds the lease.
  Atomic because the lease check, the attempt history and the move to `delayed` or `dead`
  must agree: a task whose lease expired and was retaken is not failed twice.
]]
local id, token = ARGV[4], ARGV[5]
local tk = KEYS[10]
local refused = check_lease(tk, id, token)
if refused then return refused end
redis.call('ZREM', K_ACTIVE, id)
local f = redis.call('HMGET', tk, 'attempts', 'maxAttempts', 'backoffMs', 'backoffMaxMs')
local attempts, max = tonumber(f[1]), tonumber(f[2])
remember(tk, { attempt = attempts, error = ARGV[6], stack = string.sub(ARGV[7], 1, 4000), holder = ARGV[10], at = NOW })
redis.call('HDEL', tk, 'token', 'holder')
redis.call('HSET', tk, 'error', ARGV[6])
stat('failed', 1)
if ARGV[8] == '1' and attempts < max then
  -- Exponential backoff with equal jitter: half fixed, half random, capped.
  local delay = math.min(tonumber(f[3]) * 2 ^ (attempts - 1), tonumber(f[4]))
  delay = math.floor(delay / 2 + tonumber(ARGV[9]) * delay / 2)
  redis.call('ZADD', K_DELAYED, NOW + delay, id)
  redis.call('HSET', tk, 'state', 'delayed', 'runAt', NOW + delay)
  redis.call('HINCRBY', K_META, 'retried', 1)
  emit('retrying', id, 'attempt', attempts, 'delayMs', delay, 'error', ARGV[6])
  return { 'delayed', tostring(delay) }
end
local why = ARGV[6]
if ARGV[8] ~= '1' then why = why .. ' (not retryable)' end
to_dead(id, tk, why)
return { 'dead', '0' }
