--[[
  vote: records (or changes) a vote and evaluates the proposal.
  KEYS: the swarm's eight (includes.lua), [9] the proposal's hash, [10] its eligible voters,
        [11] its votes.
  ARGV: common four, [5] proposal id, [6] voter, [7] value (yes, no, abstain), [8] confidence,
        [9] reason.
  Reply: the proposal's status after the vote.
  Not applied: 'not-found' (no such proposal), 'conflict' (closed or expired), 'invalid' (the
          voter is not eligible).
  Atomic because recording and evaluating are one step: concurrent votes are neither lost
  nor counted twice, and a proposal closes exactly once.
]]
local id, voter, value = ARGV[5], ARGV[6], ARGV[7]
local pk, ek, vk = KEYS[9], KEYS[10], KEYS[11]
local status = redis.call('HGET', pk, 'status')
if not status then return refuse('not-found', 'Proposal ' .. id .. ' does not exist in swarm ' .. SWARM) end
local expired = expire_if_due(pk, id)
if expired then return refuse('conflict', 'Proposal ' .. id .. ' expired before this vote') end
if status ~= 'open' then return refuse('conflict', 'Proposal ' .. id .. ' is ' .. status .. '; votes are closed') end
local weight = redis.call('HGET', ek, voter)
if not weight then return refuse('invalid', voter .. ' is not an eligible voter of proposal ' .. id) end
weight = tonumber(weight)
local changes = 0
local before = redis.call('HGET', vk, voter)
if before then
  local old = cjson.decode(before)
  redis.call('HINCRBY', pk, old.value, -1)
  redis.call('HINCRBYFLOAT', pk, old.value .. 'Weight', -weight)
  changes = old.changes + 1
end
redis.call('HSET', vk, voter, cjson.encode({ value = value, confidence = tonumber(ARGV[8]), reason = ARGV[9], at = NOW, weight = weight, changes = changes }))
redis.call('HINCRBY', pk, value, 1)
redis.call('HINCRBYFLOAT', pk, value .. 'Weight', weight)
if before then
  emit('vote.changed', 'proposal', id, 'voter', voter, 'value', value)
else
  emit('vote.cast', 'proposal', id, 'voter', voter, 'value', value)
end
return evaluate(pk, vk, id)
