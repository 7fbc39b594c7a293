--[[
  complete: finishes the tasks a worker holds and, in the same round trip, leases the next ones.
  KEYS: the queue's nine (includes.lua), then [10…9+n] the hash of each task completed.
        Retention victims and the tasks taken next are only known inside: TASK_BASE .. id.
  ARGV: common three, [4] keep count, [5] keep age (ms, 0 = none), [6] n, then n triples from
        [7]: id, token, result (JSON); then take's eight (count 0 takes nothing).
  Reply: { take's reply, ids whose lease was lost (not completed) }.
  Atomic because the lease check and the move to `finished` must be one step: a lease that
  expired and went to another worker is not completed by the first, and retention never
  deletes a task that is still being written.
]]
local n = tonumber(ARGV[6])
local lost = {}
local done, finished = {}, {}
local processed = 0
for i = 1, n do
  local b = 7 + (i - 1) * 3
  local id, token, result = ARGV[b], ARGV[b + 1], ARGV[b + 2]
  local tk = KEYS[9 + i]
  local f = redis.call('HMGET', tk, 'state', 'token', 'startedAt')
  if f[1] ~= 'active' or f[2] ~= token then
    table.insert(lost, id)
  else
    redis.call('HSET', tk, 'state', 'completed', 'finishedAt', NOW, 'result', result)
    redis.call('HDEL', tk, 'token')
    processed = processed + NOW - tonumber(f[3])
    emit('completed', id)
    table.insert(done, id)
    table.insert(finished, NOW)
    table.insert(finished, id)
  end
end
-- The sets and counters once per batch: fewer calls, and fewer commands replicated.
if #done > 0 then
  redis.call('ZREM', K_ACTIVE, unpack(done))
  redis.call('ZADD', K_FINISHED, unpack(finished))
  redis.call('HINCRBY', K_META, 'completed', #done)
  stat('completed', #done)
  stat('processMs', processed)
end

local function forget(ids)
  if #ids == 0 then return end
  local keys = {}
  for i, id in ipairs(ids) do keys[i] = TASK_BASE .. id end
  redis.call('DEL', unpack(keys))
  redis.call('ZREM', K_FINISHED, unpack(ids))
end
-- Retention, bounded per call so a completion never does unbounded work.
local keep, maxAge = tonumber(ARGV[4]), tonumber(ARGV[5])
local excess = redis.call('ZCARD', K_FINISHED) - keep
if excess > 0 then forget(redis.call('ZRANGE', K_FINISHED, 0, math.min(excess, 100 + n) - 1)) end
if maxAge > 0 then forget(redis.call('ZRANGEBYSCORE', K_FINISHED, '-inf', NOW - maxAge, 'LIMIT', 0, 100)) end
return { take(7 + n * 3), lost }
