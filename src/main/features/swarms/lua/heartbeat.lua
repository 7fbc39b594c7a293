--[[
  heartbeat: evidence of life, stored as the moment the agent stops counting as live
  (now + its TTL), so "how many are live" is one ZCOUNT; the status is what the agent says.
  KEYS: the swarm's eight (includes.lua), [9] the agent's hash.
  ARGV: common four, [5] agent id, [6] status ('' keeps it), [7] task ('' clears, '-' keeps),
        [8] load ('' keeps).
  Reply: 1.
  Not applied: 'not-found' when the agent is not registered.
  Atomic because a heartbeat of an agent being deregistered must not bring back a deadline
  for an agent that is gone, and a status change and its event go together.
]]
local id, ak = ARGV[5], KEYS[9]
local ttl = redis.call('HGET', ak, 'ttlMs')
if not ttl then return not_registered(id) end
redis.call('ZADD', K_HB, NOW + tonumber(ttl), id)
if ARGV[6] ~= '' then
  local before = redis.call('HGET', ak, 'status')
  if before ~= ARGV[6] then
    redis.call('HSET', ak, 'status', ARGV[6])
    emit('agent.status', 'agent', id, 'status', ARGV[6], 'was', before or '')
  end
end
if ARGV[7] ~= '-' then
  if ARGV[7] == '' then redis.call('HDEL', ak, 'task') else redis.call('HSET', ak, 'task', ARGV[7]) end
end
if ARGV[8] ~= '' then redis.call('HSET', ak, 'load', ARGV[8]) end
return 1
