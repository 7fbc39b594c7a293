--[[
  Prepended to every queue script when it is loaded (scripts.ts), so the transitions share
  one definition of how a task moves between sets.

  KEYS (every queue script, all in the queue's one hash slot):
    [1] meta      hash: paused flag, arrival sequence, lifetime counters
    [2] wait      zset: waiting ids by priority * 2^32 + sequence
    [3] delayed   zset: delayed and retry-scheduled ids by due time (ms)
    [4] active    zset: leased ids by lease deadline (ms)
    [5] finished  zset: completed and cancelled ids by finish time
    [6] dead      zset: dead-lettered ids by time of death
    [7] wake      list: wake-up tokens idle workers block on
    [8] events    stream: every transition, capped
    [9] stats     hash: statistics of the current minute
    [10…]         hashes of the tasks the caller names, in the order it names them
  ARGV (every queue script):
    [1] task key base: the tasks a script only learns inside (the next waiting ones, expired
        leases, due delayed tasks, retention victims, dead or purged batches) are found at
        TASK_BASE .. id, which carries the queue's hash tag, so they share its slot
    [2] events stream cap (approximate)
    [3] now (ms, the caller's clock)
  A script that declines answers {'not-applied', reason, sentence, ...detail} before it changes
  anything (the reasons are the table in src/main/redis/script-registry.ts).
]]
local K_META, K_WAIT, K_DELAYED, K_ACTIVE, K_FINISHED, K_DEAD, K_WAKE, K_EVENTS, K_STATS =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local TASK_BASE, MAXLEN, NOW = ARGV[1], ARGV[2], tonumber(ARGV[3])
local TWO32 = 4294967296

local function emit(kind, id, ...)
  redis.call('XADD', K_EVENTS, 'MAXLEN', '~', MAXLEN, '*', 'type', kind, 'id', id, 'at', NOW, ...)
end

-- Per-minute statistics expire after two hours; the expiry is set when a field is created.
local function stat(field, by)
  if redis.call('HINCRBY', K_STATS, field, by) == by then redis.call('EXPIRE', K_STATS, 7200) end
end

local function score(tk)
  local f = redis.call('HMGET', tk, 'prio', 'seq')
  return tonumber(f[1]) * TWO32 + tonumber(f[2])
end

-- One token per newly available task, for idle workers blocked on the list; never more than 1000
-- pending. Pushed by one LPUSH: each write is also a command replicated to the replicas.
local function wake(n)
  local room = math.min(n, 1000 - redis.call('LLEN', K_WAKE))
  if room <= 0 then return end
  local tokens = {}
  for i = 1, room do tokens[i] = '1' end
  redis.call('LPUSH', K_WAKE, unpack(tokens))
end

-- Attempt history: every lease that ended without completion, newest last, at most 25.
local function remember(tk, entry)
  local raw = redis.call('HGET', tk, 'history')
  local list = raw and cjson.decode(raw) or {}
  table.insert(list, entry)
  while #list > 25 do table.remove(list, 1) end
  redis.call('HSET', tk, 'history', cjson.encode(list))
end

local function to_dead(id, tk, reason)
  redis.call('ZADD', K_DEAD, NOW, id)
  redis.call('HSET', tk, 'state', 'dead', 'finishedAt', NOW, 'error', reason)
  redis.call('HDEL', tk, 'token', 'holder')
  redis.call('HINCRBY', K_META, 'dead', 1)
  stat('dead', 1)
  emit('dead', id, 'error', reason)
end

local function to_wait(id, tk)
  redis.call('ZADD', K_WAIT, score(tk), id)
  redis.call('HSET', tk, 'state', 'waiting', 'readyAt', NOW)
  redis.call('HDEL', tk, 'token', 'holder', 'runAt')
  wake(1)
end

-- Leases past their deadline: the holder crashed, hung or lost the network.
local function recover_stalled(limit)
  local ids = redis.call('ZRANGEBYSCORE', K_ACTIVE, '-inf', NOW, 'LIMIT', 0, limit)
  for _, id in ipairs(ids) do
    local tk = TASK_BASE .. id
    redis.call('ZREM', K_ACTIVE, id)
    local f = redis.call('HMGET', tk, 'attempts', 'maxAttempts', 'holder')
    local attempts, max = tonumber(f[1]), tonumber(f[2])
    remember(tk, { attempt = attempts, error = 'lease expired', holder = f[3], at = NOW })
    redis.call('HINCRBY', K_META, 'stalled', 1)
    emit('stalled', id, 'holder', f[3] or '')
    if attempts >= max then
      to_dead(id, tk, 'lease expired on attempt ' .. attempts .. ' of ' .. max)
    else
      to_wait(id, tk)
    end
  end
end

local function promote_due(limit)
  local ids = redis.call('ZRANGEBYSCORE', K_DELAYED, '-inf', NOW, 'LIMIT', 0, limit)
  for _, id in ipairs(ids) do
    redis.call('ZREM', K_DELAYED, id)
    to_wait(id, TASK_BASE .. id)
    emit('waiting', id)
  end
end

local function has_caps(required, caps)
  if required == false or required == '' then return true end
  for cap in string.gmatch(required, '[^,]+') do
    if not caps[cap] then return false end
  end
  return true
end

-- Hands out up to count tasks. Returns {nextDue, id, data, attempts, maxAttempts, token, ...}.
-- Take ARGV (from index t): count, leaseMs, holder, tokenBase, caps, promoteLimit, scanLimit, stalledLimit
-- The sets and statistics are written once per call, not once per task: a script's cost here is
-- mostly its number of redis.call()s, and on a cluster every write is replicated as well.
local function take(t)
  local count, lease, holder, tokenBase = tonumber(ARGV[t]), tonumber(ARGV[t + 1]), ARGV[t + 2], ARGV[t + 3]
  local caps = {}
  for cap in string.gmatch(ARGV[t + 4], '[^,]+') do caps[cap] = true end
  recover_stalled(tonumber(ARGV[t + 7]))
  promote_due(tonumber(ARGV[t + 5]))
  local out = { '' }
  if count <= 0 or redis.call('HGET', K_META, 'paused') == '1' then return out end
  local candidates = redis.call('ZRANGE', K_WAIT, 0, tonumber(ARGV[t + 6]) - 1)
  local taken, waited = {}, 0
  local leases = {}
  for _, id in ipairs(candidates) do
    if #taken >= count then break end
    local tk = TASK_BASE .. id
    local f = redis.call('HMGET', tk, 'requires', 'readyAt', 'data', 'maxAttempts', 'attempts')
    if has_caps(f[1], caps) then
      local attempts = tonumber(f[5]) + 1
      local token = tokenBase .. ':' .. attempts
      redis.call('HSET', tk, 'state', 'active', 'token', token, 'holder', holder, 'startedAt', NOW, 'attempts', attempts)
      waited = waited + NOW - tonumber(f[2])
      emit('active', id, 'holder', holder, 'attempt', attempts)
      table.insert(taken, id)
      table.insert(leases, NOW + lease)
      table.insert(leases, id)
      table.insert(out, id)
      table.insert(out, f[3])
      table.insert(out, attempts)
      table.insert(out, f[4])
      table.insert(out, token)
    end
  end
  if #taken > 0 then
    redis.call('ZREM', K_WAIT, unpack(taken))
    redis.call('ZADD', K_ACTIVE, unpack(leases))
    stat('taken', #taken)
    stat('waitMs', waited)
  end
  -- Tokens left once nothing waits are stale: an idle worker would wake for each and find nothing.
  if redis.call('ZCARD', K_WAIT) == 0 and redis.call('LLEN', K_WAKE) > 0 then redis.call('DEL', K_WAKE) end
  if #taken == 0 then
    local nextDue = redis.call('ZRANGE', K_DELAYED, 0, 0, 'WITHSCORES')
    local nextLease = redis.call('ZRANGE', K_ACTIVE, 0, 0, 'WITHSCORES')
    local due = nextDue[2] and tonumber(nextDue[2]) or nil
    if nextLease[2] and (due == nil or tonumber(nextLease[2]) < due) then due = tonumber(nextLease[2]) end
    out[1] = due and tostring(due) or ''
  end
  return out
end

-- The caller must hold the task's current lease; answers the refusal, or nil.
local function check_lease(tk, id, token)
  local f = redis.call('HMGET', tk, 'state', 'token')
  if f[1] ~= 'active' or f[2] ~= token then
    return { 'not-applied', 'lease-lost', 'Task ' .. id .. ' is ' .. tostring(f[1] or 'gone') .. ' and no longer leased with this token' }
  end
  return nil
end

