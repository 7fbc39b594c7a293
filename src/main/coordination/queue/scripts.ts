/**
 * Every state transition of a task is one of these scripts, so a task is never in two
 * states or in none. All take the same KEYS (see KEY_ORDER); task hashes are built inside
 * from ARGV[1], the queue's task prefix, which carries the queue's hash tag, so every key a
 * script touches lives in the queue's slot on Redis Cluster.
 *
 * Common ARGV: [1] task key prefix, [2] events stream cap, [3] now (ms, the caller's clock).
 */
export const KEY_ORDER = ['meta', 'wait', 'delayed', 'active', 'finished', 'dead', 'wake', 'events', 'stats'] as const;

const PRELUDE = `
local K_META, K_WAIT, K_DELAYED, K_ACTIVE, K_FINISHED, K_DEAD, K_WAKE, K_EVENTS, K_STATS =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local PREFIX, MAXLEN, NOW = ARGV[1], ARGV[2], tonumber(ARGV[3])
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

-- One token per newly available task, for idle workers blocked on the list; never more than 1000 pending.
local function wake(n)
  local room = 1000 - redis.call('LLEN', K_WAKE)
  for _ = 1, math.min(n, room) do redis.call('LPUSH', K_WAKE, '1') end
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
    local tk = PREFIX .. id
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
    to_wait(id, PREFIX .. id)
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
local function take(t)
  local count, lease, holder, tokenBase = tonumber(ARGV[t]), tonumber(ARGV[t + 1]), ARGV[t + 2], ARGV[t + 3]
  local caps = {}
  for cap in string.gmatch(ARGV[t + 4], '[^,]+') do caps[cap] = true end
  recover_stalled(tonumber(ARGV[t + 7]))
  promote_due(tonumber(ARGV[t + 5]))
  local out = { '' }
  if count <= 0 or redis.call('HGET', K_META, 'paused') == '1' then return out end
  local candidates = redis.call('ZRANGE', K_WAIT, 0, tonumber(ARGV[t + 6]) - 1)
  local taken = 0
  for _, id in ipairs(candidates) do
    if taken >= count then break end
    local tk = PREFIX .. id
    local f = redis.call('HMGET', tk, 'requires', 'readyAt', 'data', 'maxAttempts')
    if has_caps(f[1], caps) then
      redis.call('ZREM', K_WAIT, id)
      local attempts = redis.call('HINCRBY', tk, 'attempts', 1)
      local token = tokenBase .. ':' .. attempts
      redis.call('ZADD', K_ACTIVE, NOW + lease, id)
      redis.call('HSET', tk, 'state', 'active', 'token', token, 'holder', holder, 'startedAt', NOW)
      stat('taken', 1)
      stat('waitMs', NOW - tonumber(f[2]))
      emit('active', id, 'holder', holder, 'attempt', attempts)
      taken = taken + 1
      table.insert(out, id)
      table.insert(out, f[3])
      table.insert(out, attempts)
      table.insert(out, f[4])
      table.insert(out, token)
    end
  end
  if taken == 0 then
    local nextDue = redis.call('ZRANGE', K_DELAYED, 0, 0, 'WITHSCORES')
    local nextLease = redis.call('ZRANGE', K_ACTIVE, 0, 0, 'WITHSCORES')
    local due = nextDue[2] and tonumber(nextDue[2]) or nil
    if nextLease[2] and (due == nil or tonumber(nextLease[2]) < due) then due = tonumber(nextLease[2]) end
    out[1] = due and tostring(due) or ''
  end
  return out
end

-- The caller must hold the task's current lease.
local function check_lease(id, token)
  local f = redis.call('HMGET', PREFIX .. id, 'state', 'token')
  if f[1] ~= 'active' or f[2] ~= token then
    return redis.error_reply('LEASE_LOST task ' .. id .. ' is ' .. tostring(f[1] or 'gone') .. ' and no longer leased with this token')
  end
  return nil
end
`;

/**
 * enqueue: ARGV 4 n, then n groups of 8: id, data, prio, runAt, maxAttempts, backoffMs,
 * backoffMaxMs, requires. All or nothing: a duplicate id refuses the whole batch.
 */
export const ENQUEUE = `${PRELUDE}
local n = tonumber(ARGV[4])
for i = 0, n - 1 do
  local id = ARGV[5 + i * 8]
  if redis.call('EXISTS', PREFIX .. id) == 1 then return redis.error_reply('DUPLICATE task ' .. id .. ' already exists') end
end
local states = {}
local ready = 0
for i = 0, n - 1 do
  local b = 5 + i * 8
  local id, prio, runAt = ARGV[b], tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
  local tk = PREFIX .. id
  local seq = redis.call('HINCRBY', K_META, 'seq', 1)
  redis.call('HSET', tk, 'id', id, 'data', ARGV[b + 1], 'prio', prio, 'seq', seq, 'attempts', 0,
    'maxAttempts', ARGV[b + 4], 'backoffMs', ARGV[b + 5], 'backoffMaxMs', ARGV[b + 6], 'requires', ARGV[b + 7],
    'createdAt', NOW, 'readyAt', NOW)
  if runAt > NOW then
    redis.call('ZADD', K_DELAYED, runAt, id)
    redis.call('HSET', tk, 'state', 'delayed', 'runAt', runAt)
    emit('delayed', id, 'runAt', runAt)
    states[i + 1] = 'delayed'
  else
    redis.call('ZADD', K_WAIT, prio * TWO32 + seq, id)
    redis.call('HSET', tk, 'state', 'waiting')
    emit('waiting', id)
    states[i + 1] = 'waiting'
    ready = ready + 1
  end
end
redis.call('HINCRBY', K_META, 'enqueued', n)
stat('enqueued', n)
wake(ready)
return states
`;

/** take: ARGV from 4 as in take() */
export const TAKE = `${PRELUDE}
return take(4)
`;

/**
 * complete: ARGV 4 keepCount, 5 keepAgeMs, 6 n, then n triples (id, token, result), then take
 * ARGV (count 0 to take nothing). Finishing a batch of tasks and leasing the next ones is one
 * round trip. Returns {take reply, ids whose lease was lost}.
 */
export const COMPLETE = `${PRELUDE}
local n = tonumber(ARGV[6])
local lost = {}
local done = 0
for i = 0, n - 1 do
  local id, token, result = ARGV[7 + i * 3], ARGV[8 + i * 3], ARGV[9 + i * 3]
  if check_lease(id, token) then
    table.insert(lost, id)
  else
    local tk = PREFIX .. id
    redis.call('ZREM', K_ACTIVE, id)
    local startedAt = tonumber(redis.call('HGET', tk, 'startedAt'))
    redis.call('HSET', tk, 'state', 'completed', 'finishedAt', NOW, 'result', result)
    redis.call('HDEL', tk, 'token')
    redis.call('ZADD', K_FINISHED, NOW, id)
    stat('processMs', NOW - startedAt)
    emit('completed', id)
    done = done + 1
  end
end
if done > 0 then
  redis.call('HINCRBY', K_META, 'completed', done)
  stat('completed', done)
end
-- Retention, bounded per call so a completion never does unbounded work.
local keep, maxAge = tonumber(ARGV[4]), tonumber(ARGV[5])
local excess = redis.call('ZCARD', K_FINISHED) - keep
if excess > 0 then
  local old = redis.call('ZRANGE', K_FINISHED, 0, math.min(excess, 100 + n) - 1)
  for _, oid in ipairs(old) do redis.call('DEL', PREFIX .. oid) end
  redis.call('ZREM', K_FINISHED, unpack(old))
end
if maxAge > 0 then
  local old = redis.call('ZRANGEBYSCORE', K_FINISHED, '-inf', NOW - maxAge, 'LIMIT', 0, 100)
  if #old > 0 then
    for _, oid in ipairs(old) do redis.call('DEL', PREFIX .. oid) end
    redis.call('ZREM', K_FINISHED, unpack(old))
  end
end
return { take(7 + n * 3), lost }
`;

/** fail: ARGV 4 id, 5 token, 6 error, 7 stack, 8 retryable ('1'/'0'), 9 jitter in [0,1), 10 holder */
export const FAIL = `${PRELUDE}
local id, token = ARGV[4], ARGV[5]
local refused = check_lease(id, token)
if refused then return refused end
local tk = PREFIX .. id
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
`;

/** extend: ARGV 4 leaseMs, then pairs of id, token. Returns the ids whose lease is lost. */
export const EXTEND = `${PRELUDE}
local lease = tonumber(ARGV[4])
local lost = {}
for i = 5, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  local f = redis.call('HMGET', PREFIX .. id, 'state', 'token')
  if f[1] == 'active' and f[2] == token then
    redis.call('ZADD', K_ACTIVE, 'XX', NOW + lease, id)
  else
    table.insert(lost, id)
  end
end
return lost
`;

/** progress: ARGV 4 id, 5 token, 6 progress (JSON) */
export const PROGRESS = `${PRELUDE}
local refused = check_lease(ARGV[4], ARGV[5])
if refused then return refused end
redis.call('HSET', PREFIX .. ARGV[4], 'progress', ARGV[6])
emit('progress', ARGV[4], 'progress', ARGV[6])
return 1
`;

/** release: ARGV 4 id, 5 token. A worker shutting down hands a task back; the attempt does not count. */
export const RELEASE = `${PRELUDE}
local id = ARGV[4]
local refused = check_lease(id, ARGV[5])
if refused then return refused end
local tk = PREFIX .. id
redis.call('ZREM', K_ACTIVE, id)
redis.call('HINCRBY', tk, 'attempts', -1)
to_wait(id, tk)
emit('released', id)
return 1
`;

/**
 * operate: ARGV 4 action, 5 id. Operator actions on one task:
 * retry (dead → waiting, fresh attempt budget), promote (delayed → waiting), cancel (any unfinished → finished as cancelled).
 */
export const OPERATE = `${PRELUDE}
local action, id = ARGV[4], ARGV[5]
local tk = PREFIX .. id
local state = redis.call('HGET', tk, 'state')
if not state then return redis.error_reply('NOT_FOUND task ' .. id .. ' does not exist') end
if action == 'retry' then
  if state ~= 'dead' then return redis.error_reply('CONFLICT task ' .. id .. ' is ' .. state .. ', only dead tasks can be retried') end
  redis.call('ZREM', K_DEAD, id)
  redis.call('HSET', tk, 'attempts', 0)
  redis.call('HDEL', tk, 'finishedAt', 'error')
  to_wait(id, tk)
  emit('retried', id)
  return 'waiting'
elseif action == 'promote' then
  if state ~= 'delayed' then return redis.error_reply('CONFLICT task ' .. id .. ' is ' .. state .. ', only delayed tasks can be promoted') end
  redis.call('ZREM', K_DELAYED, id)
  to_wait(id, tk)
  emit('promoted', id)
  return 'waiting'
elseif action == 'cancel' then
  if state == 'completed' or state == 'cancelled' or state == 'dead' then
    return redis.error_reply('CONFLICT task ' .. id .. ' is already ' .. state)
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
return redis.error_reply('VALIDATION unknown action ' .. tostring(action))
`;

/** retryDead: ARGV 4 limit. Moves up to limit dead tasks back to waiting, oldest first. */
export const RETRY_DEAD = `${PRELUDE}
local ids = redis.call('ZRANGE', K_DEAD, 0, tonumber(ARGV[4]) - 1)
for _, id in ipairs(ids) do
  local tk = PREFIX .. id
  redis.call('ZREM', K_DEAD, id)
  redis.call('HSET', tk, 'attempts', 0)
  redis.call('HDEL', tk, 'finishedAt', 'error')
  redis.call('ZADD', K_WAIT, score(tk), id)
  redis.call('HSET', tk, 'state', 'waiting', 'readyAt', NOW)
  emit('retried', id)
end
wake(math.min(#ids, 1000))
return #ids
`;

/** purge: ARGV 4 state (waiting, delayed, finished, dead), 5 limit. Deletes tasks of one state, a batch at a time. */
export const PURGE = `${PRELUDE}
local sets = { waiting = K_WAIT, delayed = K_DELAYED, finished = K_FINISHED, dead = K_DEAD }
local set = sets[ARGV[4]]
if not set then return redis.error_reply('VALIDATION cannot purge state ' .. tostring(ARGV[4])) end
local ids = redis.call('ZRANGE', set, 0, tonumber(ARGV[5]) - 1)
for _, id in ipairs(ids) do redis.call('DEL', PREFIX .. id) end
if #ids > 0 then redis.call('ZREM', set, unpack(ids)) end
emit('purged', '', 'state', ARGV[4], 'count', #ids)
return #ids
`;

/** pause: ARGV 4 '1' to pause, '0' to resume. */
export const PAUSE = `${PRELUDE}
redis.call('HSET', K_META, 'paused', ARGV[4])
if ARGV[4] == '0' then wake(math.min(redis.call('ZCARD', K_WAIT), 1000)) end
emit(ARGV[4] == '1' and 'paused' or 'resumed', '')
return 1
`;
