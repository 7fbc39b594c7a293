--[[
  Prepended to every swarm script when it is loaded (scripts.ts).

  KEYS (every swarm script, all in the swarm's one hash slot):
    [1] swarm      hash: definition, status, leader epoch counter, proposal sequence, counters
    [2] agents     zset: agent ids by registration time
    [3] hb         zset: agent ids by the moment they stop counting as live
    [4] events     stream: lifecycle changes, votes and results, capped
    [5] leader     string with a TTL: `<agent>|<epoch>` of the current leader
    [6] proposals  zset: proposal ids by opening time
    [7] open       zset: open proposal ids by deadline
    [8] msgs       stream: messages between agents, capped
    [9…]           the agent or proposal keys the caller names (see each script)
  ARGV (every swarm script):
    [1] the swarm's key base: agents and proposals a script only learns inside (the live
        voters of a new proposal, the proposals past their deadline) are found at
        BASE .. 'a:' .. id and BASE .. 'p:' .. id, which carry the swarm's hash tag
    [2] swarm id (for messages)
    [3] events stream cap (approximate)
    [4] now (ms, the caller's clock)
  A script that declines answers {'not-applied', reason, sentence, ...detail} before it changes
  anything (the reasons are the table in src/main/redis/script-registry.ts).
]]
local K_SWARM, K_AGENTS, K_HB, K_EVENTS = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local K_LEADER, K_PROPOSALS, K_OPEN, K_MSGS = KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local BASE, SWARM, MAXLEN, NOW = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])

local function emit(kind, ...)
  redis.call('XADD', K_EVENTS, 'MAXLEN', '~', MAXLEN, '*', 'type', kind, 'at', NOW, ...)
  -- Kept beside the status so the swarms list reads last activity without touching streams.
  redis.call('HSET', K_SWARM, 'activity', NOW)
end

local function refuse(reason, sentence) return { 'not-applied', reason, sentence } end

-- Answers the swarm's status, or nil and the refusal when it does not exist.
local function need_swarm()
  local status = redis.call('HGET', K_SWARM, 'status')
  if not status then return nil, refuse('not-found', 'Swarm ' .. SWARM .. ' does not exist') end
  return status
end

local function not_registered(agent) return refuse('not-found', 'Agent ' .. agent .. ' is not registered in swarm ' .. SWARM) end

local function agent_key(id) return BASE .. 'a:' .. id end

local function leader_of()
  local cur = redis.call('GET', K_LEADER)
  if not cur then return nil, nil end
  local holder, epoch = string.match(cur, '^(.*)|(%d+)$')
  return holder, epoch
end
