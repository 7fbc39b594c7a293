--[[
  retry-dead: moves up to `limit` dead tasks back to waiting, oldest first, with a fresh
  attempt budget.
  KEYS: the queue's nine (includes.lua). The tasks moved are only known inside:
        TASK_BASE .. id.
  ARGV: common three, [4] limit.
  Reply: how many were moved (fewer than limit: none are left).
  Atomic because each task must leave `dead` and enter `wait` together, with its wake-up
  token, while workers are taking.
]]
local ids = redis.call('ZRANGE', K_DEAD, 0, tonumber(ARGV[4]) - 1)
for _, id in ipairs(ids) do
  local tk = TASK_BASE .. id
  redis.call('ZREM', K_DEAD, id)
  redis.call('HSET', tk, 'attempts', 0)
  redis.call('HDEL', tk, 'finishedAt', 'error')
  redis.call('ZADD', K_WAIT, score(tk), id)
  redis.call('HSET', tk, 'state', 'waiting', 'readyAt', NOW)
  emit('retried', id)
end
wake(math.min(#ids, 1000))
return #ids
