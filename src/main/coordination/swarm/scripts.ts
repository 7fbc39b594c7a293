/**
 * Swarm lifecycle transitions, one script each over the swarm's `{s:<id>}` slot.
 * KEYS: swarm, agents, heartbeats, events. ARGV: [1] agent key prefix, [2] events cap, [3] now.
 */
const PRELUDE = `
local K_SWARM, K_AGENTS, K_HB, K_EVENTS = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local PREFIX, MAXLEN, NOW = ARGV[1], ARGV[2], tonumber(ARGV[3])
local function emit(kind, ...)
  redis.call('XADD', K_EVENTS, 'MAXLEN', '~', MAXLEN, '*', 'type', kind, 'at', NOW, ...)
end
local function need_swarm()
  local status = redis.call('HGET', K_SWARM, 'status')
  if not status then return nil, redis.error_reply('NOT_FOUND swarm does not exist') end
  return status
end
`;

/** create: ARGV 4 id, 5 name, 6 objective, 7 topology, 8 strategy, 9 maxAgents */
export const CREATE = `${PRELUDE}
if redis.call('EXISTS', K_SWARM) == 1 then return redis.error_reply('CONFLICT swarm ' .. ARGV[4] .. ' already exists') end
redis.call('HSET', K_SWARM, 'id', ARGV[4], 'name', ARGV[5], 'objective', ARGV[6], 'topology', ARGV[7],
  'strategy', ARGV[8], 'maxAgents', ARGV[9], 'status', 'running', 'createdAt', NOW, 'updatedAt', NOW)
emit('swarm.created', 'swarm', ARGV[4])
return 'running'
`;

/** status: ARGV 4 new status. Allowed: running⇄paused, running|paused → stopped, stopped → archived. */
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
emit('swarm.' .. target, 'from', status)
return target
`;

/** register: ARGV 4 agent id, 5 role, 6 type, 7 capabilities (comma list), 8 resources JSON, 9 weight, 10 ttlMs */
export const REGISTER = `${PRELUDE}
local status, err = need_swarm()
if err then return err end
if status == 'stopped' or status == 'archived' then return redis.error_reply('CONFLICT swarm is ' .. status .. '; agents cannot join') end
local id = ARGV[4]
if redis.call('ZSCORE', K_AGENTS, id) then return redis.error_reply('CONFLICT agent ' .. id .. ' is already registered') end
local max = tonumber(redis.call('HGET', K_SWARM, 'maxAgents'))
if redis.call('ZCARD', K_AGENTS) >= max then return redis.error_reply('CONFLICT swarm is full (' .. max .. ' agents)') end
redis.call('ZADD', K_AGENTS, NOW, id)
redis.call('HSET', PREFIX .. id, 'role', ARGV[5], 'type', ARGV[6], 'capabilities', ARGV[7], 'resources', ARGV[8],
  'weight', ARGV[9], 'ttlMs', ARGV[10], 'status', 'idle', 'registeredAt', NOW)
redis.call('HSET', K_SWARM, 'updatedAt', NOW)
emit('agent.registered', 'agent', id, 'role', ARGV[5])
return 1
`;

/**
 * heartbeat: ARGV 4 agent id, 5 status ('' keeps it), 6 task ('' clears, '-' keeps).
 * The evidence of life is the heartbeat time; the status is what the agent says.
 */
export const HEARTBEAT = `${PRELUDE}
local id = ARGV[4]
if not redis.call('ZSCORE', K_AGENTS, id) then return redis.error_reply('NOT_FOUND agent ' .. id .. ' is not registered in this swarm') end
redis.call('ZADD', K_HB, NOW, id)
local tk = PREFIX .. id
if ARGV[5] ~= '' then
  local before = redis.call('HGET', tk, 'status')
  if before ~= ARGV[5] then
    redis.call('HSET', tk, 'status', ARGV[5])
    emit('agent.status', 'agent', id, 'status', ARGV[5], 'was', before or '')
  end
end
if ARGV[6] ~= '-' then
  if ARGV[6] == '' then redis.call('HDEL', tk, 'task') else redis.call('HSET', tk, 'task', ARGV[6]) end
end
return 1
`;

/** deregister: ARGV 4 agent id */
export const DEREGISTER = `${PRELUDE}
local id = ARGV[4]
if redis.call('ZREM', K_AGENTS, id) == 0 then return redis.error_reply('NOT_FOUND agent ' .. id .. ' is not registered in this swarm') end
redis.call('ZREM', K_HB, id)
redis.call('DEL', PREFIX .. id)
redis.call('HSET', K_SWARM, 'updatedAt', NOW)
emit('agent.deregistered', 'agent', id)
return 1
`;
