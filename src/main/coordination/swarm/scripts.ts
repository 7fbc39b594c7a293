/**
 * Swarm transitions, one script each over the swarm's `{s:<id>}` slot (docs/keyspace.md).
 * KEYS: swarm, agents, heartbeats, events. ARGV: [1] the swarm's key base (`P:{s:<id>}:`,
 * from which per-agent and per-proposal keys are derived in the same slot), [2] events cap,
 * [3] now (ms). Failures answer `CODE text` (see scriptError).
 */
const PRELUDE = `
local K_SWARM, K_AGENTS, K_HB, K_EVENTS = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local BASE, MAXLEN, NOW = ARGV[1], ARGV[2], tonumber(ARGV[3])
local K_LEADER, K_PROPOSALS, K_OPEN, K_MSGS = BASE .. 'leader', BASE .. 'proposals', BASE .. 'open', BASE .. 'msgs'
local function emit(kind, ...)
  redis.call('XADD', K_EVENTS, 'MAXLEN', '~', MAXLEN, '*', 'type', kind, 'at', NOW, ...)
  -- Kept beside the status so the swarms list reads last activity without touching streams.
  redis.call('HSET', K_SWARM, 'activity', NOW)
end
local function need_swarm()
  local status = redis.call('HGET', K_SWARM, 'status')
  if not status then return nil, redis.error_reply('NOT_FOUND swarm does not exist') end
  return status
end
local function agent_key(id) return BASE .. 'a:' .. id end
local function leader_of()
  local cur = redis.call('GET', K_LEADER)
  if not cur then return nil, nil end
  local holder, epoch = string.match(cur, '^(.*)|(%d+)$')
  return holder, epoch
end
`;

/**
 * Proposal tallies and the strategy rules. A proposal closes as soon as its outcome is
 * settled by the votes cast: accepted when the rule is met, rejected when the agents yet to
 * vote could no longer meet it. Ties are rejections; the weighted rule counts a share equal
 * to the threshold as met.
 */
const PROPOSALS = `
local EPS = 1e-9
local function pkey(id) return BASE .. 'p:' .. id end
local function num(h, f) return tonumber(redis.call('HGET', h, f) or '0') end
local function close(pk, id, status, decided_by)
  local created = num(pk, 'createdAt')
  local closed = NOW
  if status == 'expired' then closed = math.min(NOW, num(pk, 'deadline')) end
  redis.call('HSET', pk, 'status', status, 'closedAt', closed, 'durationMs', closed - created)
  if decided_by then redis.call('HSET', pk, 'decidedBy', decided_by) end
  redis.call('ZREM', K_OPEN, id)
  emit('proposal.' .. status, 'proposal', id, 'ratio', redis.call('HGET', pk, 'ratio'),
    'participation', redis.call('HGET', pk, 'participation'), 'durationMs', closed - created)
  return status
end
local function evaluate(pk, id)
  local n, w = num(pk, 'eligible'), num(pk, 'eligibleWeight')
  local yes, no, abstain = num(pk, 'yes'), num(pk, 'no'), num(pk, 'abstain')
  local yw, nw, aw = num(pk, 'yesWeight'), num(pk, 'noWeight'), num(pk, 'abstainWeight')
  local voted = yes + no + abstain
  local strategy = redis.call('HGET', pk, 'strategy')
  local ratio = yes / n
  if strategy == 'weighted' then ratio = (w > 0) and (yw / w) or 0 end
  redis.call('HSET', pk, 'ratio', ratio, 'participation', voted / n)
  local remaining = n - voted
  if strategy == 'quorum' then
    if yes * 2 > n then return close(pk, id, 'accepted') end
    if (yes + remaining) * 2 <= n then return close(pk, id, 'rejected') end
  elseif strategy == 'unanimous' then
    if no + abstain > 0 then return close(pk, id, 'rejected') end
    if yes == n then return close(pk, id, 'accepted') end
  elseif strategy == 'weighted' then
    local need = tonumber(redis.call('HGET', pk, 'threshold')) * w
    if yw + EPS >= need then return close(pk, id, 'accepted') end
    if yw + (w - yw - nw - aw) + EPS < need then return close(pk, id, 'rejected') end
  elseif strategy == 'leader' then
    local leader = leader_of()
    if leader then
      local v = redis.call('HGET', pk .. ':v', leader)
      if v then
        local value = cjson.decode(v).value
        if value == 'yes' then return close(pk, id, 'accepted', leader) end
        if value == 'no' then return close(pk, id, 'rejected', leader) end
      end
    end
  end
  return 'open'
end
local function expire_if_due(pk, id)
  if redis.call('HGET', pk, 'status') == 'open' and NOW > num(pk, 'deadline') then return close(pk, id, 'expired') end
  return nil
end
`;

/** create: ARGV 4 id, 5 name, 6 objective, 7 topology, 8 strategy, 9 maxAgents */
export const CREATE = `${PRELUDE}
if redis.call('EXISTS', K_SWARM) == 1 then return redis.error_reply('CONFLICT swarm ' .. ARGV[4] .. ' already exists') end
redis.call('HSET', K_SWARM, 'id', ARGV[4], 'name', ARGV[5], 'objective', ARGV[6], 'topology', ARGV[7],
  'strategy', ARGV[8], 'maxAgents', ARGV[9], 'status', 'running', 'createdAt', NOW, 'updatedAt', NOW, 'epoch', 0)
emit('swarm.created', 'swarm', ARGV[4], 'topology', ARGV[7], 'strategy', ARGV[8])
return 'running'
`;

/** status: ARGV 4 new status, 5 who asked. Allowed: running⇄paused, running|paused → stopped, stopped → archived. */
export const SET_STATUS = `${PRELUDE}
local status, err = need_swarm()
if err then return err end
local allowed = {
  running = { paused = true, stopped = true },
  paused = { running = true, stopped = true },
  stopped = { archived = true },
  archived = {},
}
local target = ARGV[4]
if not allowed[status][target] then
  return redis.error_reply('CONFLICT a ' .. status .. ' swarm cannot become ' .. target)
end
redis.call('HSET', K_SWARM, 'status', target, 'updatedAt', NOW)
emit('swarm.' .. target, 'from', status, 'by', ARGV[5])
return target
`;

/** register: ARGV 4 agent id, 5 role, 6 type, 7 capabilities (comma list), 8 resources JSON, 9 weight, 10 ttlMs, 11 team */
export const REGISTER = `${PRELUDE}
local status, err = need_swarm()
if err then return err end
if status == 'stopped' or status == 'archived' then return redis.error_reply('CONFLICT swarm is ' .. status .. '; agents cannot join') end
local id = ARGV[4]
if redis.call('ZSCORE', K_AGENTS, id) then return redis.error_reply('CONFLICT agent ' .. id .. ' is already registered') end
local max = tonumber(redis.call('HGET', K_SWARM, 'maxAgents'))
if redis.call('ZCARD', K_AGENTS) >= max then return redis.error_reply('CONFLICT swarm is full (' .. max .. ' agents)') end
redis.call('ZADD', K_AGENTS, NOW, id)
redis.call('HSET', agent_key(id), 'role', ARGV[5], 'type', ARGV[6], 'capabilities', ARGV[7], 'resources', ARGV[8],
  'weight', ARGV[9], 'ttlMs', ARGV[10], 'status', 'idle', 'registeredAt', NOW, 'load', 0)
if ARGV[11] ~= '' then redis.call('HSET', agent_key(id), 'team', ARGV[11]) end
redis.call('HSET', K_SWARM, 'updatedAt', NOW)
emit('agent.registered', 'agent', id, 'role', ARGV[5])
return 1
`;

/**
 * heartbeat: ARGV 4 agent id, 5 status ('' keeps it), 6 task ('' clears, '-' keeps), 7 load ('' keeps).
 * The evidence of life is the heartbeat, stored as the moment the agent stops counting as
 * live (now + its TTL), so "how many are live" is one ZCOUNT. The status is what the agent says.
 */
export const HEARTBEAT = `${PRELUDE}
local id = ARGV[4]
local ak = agent_key(id)
local ttl = redis.call('HGET', ak, 'ttlMs')
if not ttl then return redis.error_reply('NOT_FOUND agent ' .. id .. ' is not registered in this swarm') end
redis.call('ZADD', K_HB, NOW + tonumber(ttl), id)
if ARGV[5] ~= '' then
  local before = redis.call('HGET', ak, 'status')
  if before ~= ARGV[5] then
    redis.call('HSET', ak, 'status', ARGV[5])
    emit('agent.status', 'agent', id, 'status', ARGV[5], 'was', before or '')
  end
end
if ARGV[6] ~= '-' then
  if ARGV[6] == '' then redis.call('HDEL', ak, 'task') else redis.call('HSET', ak, 'task', ARGV[6]) end
end
if ARGV[7] ~= '' then redis.call('HSET', ak, 'load', ARGV[7]) end
return 1
`;

/** deregister: ARGV 4 agent id, 5 who asked. A leader that leaves gives up the lease with it. */
export const DEREGISTER = `${PRELUDE}
local id = ARGV[4]
if redis.call('ZREM', K_AGENTS, id) == 0 then return redis.error_reply('NOT_FOUND agent ' .. id .. ' is not registered in this swarm') end
redis.call('ZREM', K_HB, id)
redis.call('DEL', agent_key(id))
local leader, epoch = leader_of()
if leader == id then
  redis.call('DEL', K_LEADER)
  emit('leader.stepped-down', 'agent', id, 'epoch', epoch, 'by', 'deregistration')
end
redis.call('HSET', K_SWARM, 'updatedAt', NOW)
emit('agent.deregistered', 'agent', id, 'by', ARGV[5])
return 1
`;

/**
 * lead: ARGV 4 agent id, 5 lease ms, 6 epoch held ('' to campaign). Campaigning answers the
 * new epoch, the held one when the agent already leads, or 0 while another agent leads.
 * Renewing answers the epoch, or LEASE_LOST when the lease is gone or belongs to a later epoch.
 */
export const LEAD = `${PRELUDE}
local status, err = need_swarm()
if err then return err end
local id = ARGV[4]
local holder, epoch = leader_of()
if ARGV[6] ~= '' then
  if holder ~= id or epoch ~= ARGV[6] then return redis.error_reply('LEASE_LOST leadership of epoch ' .. ARGV[6] .. ' is gone') end
  redis.call('PEXPIRE', K_LEADER, ARGV[5])
  return tonumber(epoch)
end
if not redis.call('HGET', agent_key(id), 'ttlMs') then return redis.error_reply('NOT_FOUND agent ' .. id .. ' is not registered in this swarm') end
if holder == id then
  redis.call('PEXPIRE', K_LEADER, ARGV[5])
  return tonumber(epoch)
end
if holder then return 0 end
if status ~= 'running' then return 0 end
local next_epoch = redis.call('HINCRBY', K_SWARM, 'epoch', 1)
redis.call('SET', K_LEADER, id .. '|' .. next_epoch, 'PX', ARGV[5])
local previous = redis.call('HGET', K_SWARM, 'lastLeader') or ''
redis.call('HSET', K_SWARM, 'lastLeader', id, 'updatedAt', NOW)
emit('leader.elected', 'agent', id, 'epoch', next_epoch, 'previous', previous)
return next_epoch
`;

/** resign: ARGV 4 agent id ('' when an operator steps the leader down), 5 its epoch, 6 reason. */
export const RESIGN = `${PRELUDE}
local status, err = need_swarm()
if err then return err end
local holder, epoch = leader_of()
if not holder then return redis.error_reply('NOT_FOUND swarm has no leader') end
if ARGV[4] ~= '' and (holder ~= ARGV[4] or epoch ~= ARGV[5]) then
  return redis.error_reply('LEASE_LOST leadership of epoch ' .. ARGV[5] .. ' is gone')
end
redis.call('DEL', K_LEADER)
local by = 'self'
if ARGV[4] == '' then by = 'operator' end
emit('leader.stepped-down', 'agent', holder, 'epoch', epoch, 'by', by, 'reason', ARGV[6])
return holder
`;

/**
 * propose: ARGV 4 title, 5 detail, 6 proposer, 7 threshold, 8 open ms, 9 voters (comma list;
 * '' = every live agent). Eligible voters and their weights are fixed when the proposal opens.
 */
export const PROPOSE = `${PRELUDE}${PROPOSALS}
local status, err = need_swarm()
if err then return err end
if status ~= 'running' then return redis.error_reply('CONFLICT a ' .. status .. ' swarm takes no proposals') end
local voters = {}
if ARGV[9] ~= '' then
  for v in string.gmatch(ARGV[9], '[^,]+') do
    if not redis.call('HGET', agent_key(v), 'ttlMs') then return redis.error_reply('NOT_FOUND agent ' .. v .. ' is not registered in this swarm') end
    voters[#voters + 1] = v
  end
else
  voters = redis.call('ZRANGEBYSCORE', K_HB, NOW, '+inf')
end
if #voters == 0 then return redis.error_reply('CONFLICT swarm has no live agent to vote') end
local id = 'p-' .. redis.call('HINCRBY', K_SWARM, 'proposalSeq', 1)
local pk = pkey(id)
local weight = 0
for _, v in ipairs(voters) do
  local w = tonumber(redis.call('HGET', agent_key(v), 'weight') or '1')
  redis.call('HSET', pk .. ':el', v, w)
  weight = weight + w
end
local deadline = NOW + tonumber(ARGV[8])
redis.call('HSET', pk, 'id', id, 'title', ARGV[4], 'detail', ARGV[5], 'proposer', ARGV[6],
  'strategy', redis.call('HGET', K_SWARM, 'strategy'), 'threshold', ARGV[7], 'status', 'open',
  'createdAt', NOW, 'deadline', deadline, 'eligible', #voters, 'eligibleWeight', weight,
  'yes', 0, 'no', 0, 'abstain', 0, 'yesWeight', 0, 'noWeight', 0, 'abstainWeight', 0, 'ratio', 0, 'participation', 0)
redis.call('ZADD', K_PROPOSALS, NOW, id)
redis.call('ZADD', K_OPEN, deadline, id)
emit('proposal.opened', 'proposal', id, 'title', ARGV[4], 'by', ARGV[6], 'eligible', #voters)
return id
`;

/**
 * vote: ARGV 4 proposal id, 5 voter, 6 value, 7 confidence, 8 reason. Records (or changes)
 * the vote and evaluates in the same script, so concurrent votes are neither lost nor counted
 * twice. Answers the proposal's status after the vote.
 */
export const VOTE = `${PRELUDE}${PROPOSALS}
local id, voter, value = ARGV[4], ARGV[5], ARGV[6]
local pk = pkey(id)
local status = redis.call('HGET', pk, 'status')
if not status then return redis.error_reply('NOT_FOUND proposal ' .. id .. ' does not exist') end
local expired = expire_if_due(pk, id)
if expired then return redis.error_reply('CONFLICT proposal ' .. id .. ' expired before this vote') end
if status ~= 'open' then return redis.error_reply('CONFLICT proposal ' .. id .. ' is ' .. status .. '; votes are closed') end
local weight = redis.call('HGET', pk .. ':el', voter)
if not weight then return redis.error_reply('VALIDATION ' .. voter .. ' is not an eligible voter of proposal ' .. id) end
weight = tonumber(weight)
local changes = 0
local before = redis.call('HGET', pk .. ':v', voter)
if before then
  local old = cjson.decode(before)
  redis.call('HINCRBY', pk, old.value, -1)
  redis.call('HINCRBYFLOAT', pk, old.value .. 'Weight', -weight)
  changes = old.changes + 1
end
redis.call('HSET', pk .. ':v', voter, cjson.encode({ value = value, confidence = tonumber(ARGV[7]), reason = ARGV[8], at = NOW, weight = weight, changes = changes }))
redis.call('HINCRBY', pk, value, 1)
redis.call('HINCRBYFLOAT', pk, value .. 'Weight', weight)
if before then
  emit('vote.changed', 'proposal', id, 'voter', voter, 'value', value)
else
  emit('vote.cast', 'proposal', id, 'voter', voter, 'value', value)
end
return evaluate(pk, id)
`;

/** expire: closes every open proposal past its deadline (at most 100 per call); answers how many. */
export const EXPIRE_DUE = `${PRELUDE}${PROPOSALS}
local due = redis.call('ZRANGEBYSCORE', K_OPEN, '-inf', '(' .. NOW, 'LIMIT', 0, 100)
for _, id in ipairs(due) do close(pkey(id), id, 'expired') end
return #due
`;

/** send: ARGV 4 from, 5 to, 6 kind, 7 body, 8 history cap. The caller has checked the edge. */
export const SEND = `${PRELUDE}
if not redis.call('HGET', agent_key(ARGV[4]), 'ttlMs') then return redis.error_reply('NOT_FOUND agent ' .. ARGV[4] .. ' is not registered in this swarm') end
if not redis.call('HGET', agent_key(ARGV[5]), 'ttlMs') then return redis.error_reply('NOT_FOUND agent ' .. ARGV[5] .. ' is not registered in this swarm') end
redis.call('HINCRBY', K_SWARM, 'messages', 1)
redis.call('HSET', K_SWARM, 'activity', NOW)
return redis.call('XADD', K_MSGS, 'MAXLEN', '~', ARGV[8], '*', 'from', ARGV[4], 'to', ARGV[5], 'kind', ARGV[6], 'body', ARGV[7])
`;
