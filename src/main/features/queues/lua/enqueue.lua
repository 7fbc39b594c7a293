--[[
  enqueue: stores a batch of new tasks, waiting or delayed.
  KEYS: the queue's nine (includes.lua), then [10…9+n] the hash of each new task.
  ARGV: common three, [4] n, then n groups of 8 from [5]:
        id, data (JSON), priority, runAt (ms, 0 = now), maxAttempts, backoffMs, backoffMaxMs,
        required capabilities (sorted comma list).
  Reply: the state of each task, in order ('waiting' or 'delayed').
  Not applied: 'conflict' when an id already exists (nothing of the batch is stored).
  Atomic because the duplicate check, the arrival sequence that orders equal priorities, the
  task hash, its set and the wake-up token must agree: a worker that sees the token must find
  the task, and a batch is stored whole or not at all.
]]
local n = tonumber(ARGV[4])
local named = {}
for i = 1, n do named[i] = KEYS[9 + i] end
if redis.call('EXISTS', unpack(named)) > 0 then
  for i = 1, n do
    if redis.call('EXISTS', KEYS[9 + i]) == 1 then
      return { 'not-applied', 'conflict', 'Task ' .. ARGV[5 + (i - 1) * 8] .. ' already exists' }
    end
  end
end
local states = {}
local waiting, delayed = {}, {}
-- One sequence step for the batch; each task takes its own number from it.
local seq = redis.call('HINCRBY', K_META, 'seq', n) - n
for i = 1, n do
  local b = 5 + (i - 1) * 8
  local id, prio, runAt = ARGV[b], tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
  local tk = KEYS[9 + i]
  seq = seq + 1
  if runAt > NOW then
    redis.call('HSET', tk, 'id', id, 'data', ARGV[b + 1], 'prio', prio, 'seq', seq, 'attempts', 0,
      'maxAttempts', ARGV[b + 4], 'backoffMs', ARGV[b + 5], 'backoffMaxMs', ARGV[b + 6], 'requires', ARGV[b + 7],
      'createdAt', NOW, 'readyAt', NOW, 'state', 'delayed', 'runAt', runAt)
    table.insert(delayed, runAt)
    table.insert(delayed, id)
    emit('delayed', id, 'runAt', runAt)
    states[i] = 'delayed'
  else
    redis.call('HSET', tk, 'id', id, 'data', ARGV[b + 1], 'prio', prio, 'seq', seq, 'attempts', 0,
      'maxAttempts', ARGV[b + 4], 'backoffMs', ARGV[b + 5], 'backoffMaxMs', ARGV[b + 6], 'requires', ARGV[b + 7],
      'createdAt', NOW, 'readyAt', NOW, 'state', 'waiting')
    table.insert(waiting, prio * TWO32 + seq)
    table.insert(waiting, id)
    emit('waiting', id)
    states[i] = 'waiting'
  end
end
-- The sets once per batch: fewer calls, and fewer commands replicated on a cluster.
if #waiting > 0 then redis.call('ZADD', K_WAIT, unpack(waiting)) end
if #delayed > 0 then redis.call('ZADD', K_DELAYED, unpack(delayed)) end
redis.call('HINCRBY', K_META, 'enqueued', n)
stat('enqueued', n)
wake(#waiting / 2) -- two entries (score, id) per waiting task
return states
