--[[
  swarm-snapshot: every existing key of one swarm with its PTTL and DUMP, read at one instant.
  KEYS: the swarm's eight fixed keys, as in features/swarms/lua/includes.lua: [1] swarm hash,
        [2] agents, [3] hb, [4] events, [5] leader, [6] proposals, [7] open, [8] msgs.
  ARGV: [1] the swarm's key base (swarmKeys(P, id).base, with the swarm's hash tag): agent hashes are BASE .. 'a:' .. id,
        proposals BASE .. 'p:' .. id with ':el' and ':v', all in the swarm's hash slot;
        [2] the most keys a snapshot may hold; [3] the most DUMP bytes it may hold.
  Reply: { server time in ms, key1, pttl1, dump1, key2, … } over the keys that exist
         (pttl −1 = no expiry); agents are those of the roster and of the heartbeats,
         proposals those of the history and of the open set.
         Not applied when too large: {'not-applied', 'conflict', 'too large', keys|bytes, limit,
         seen}, before any DUMP when the counts alone exceed the key limit, else as soon as the
         running total passes a limit.
  Atomic because a swarm is several keys that transitions change together (a vote moves a
  tally in the proposal's hash and a field in its vote hash): read over time, a copy pairs a
  tally with votes it never counted, or lists a proposal whose hashes it never read.
]]
local BASE, MAX_KEYS, MAX_BYTES = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])

local function too_large(what, limit, seen)
  return { 'not-applied', 'conflict', 'too large', what, limit, seen }
end

-- Counting first keeps a swarm far past the limit from costing Redis a single DUMP.
local agents_n = math.max(redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3]))
local proposals_n = math.max(redis.call('ZCARD', KEYS[6]), redis.call('ZCARD', KEYS[7]))
local least = agents_n + 3 * proposals_n
if least > MAX_KEYS then return too_large('keys', MAX_KEYS, least) end

local keys = {}
for i = 1, #KEYS do keys[#keys + 1] = KEYS[i] end
local function members(zset, add)
  for _, id in ipairs(redis.call('ZRANGE', zset, 0, -1)) do add(id) end
end
local agent_seen, proposal_seen = {}, {}
local function add_agent(id)
  if agent_seen[id] then return end
  agent_seen[id] = true
  keys[#keys + 1] = BASE .. 'a:' .. id
end
local function add_proposal(id)
  if proposal_seen[id] then return end
  proposal_seen[id] = true
  local p = BASE .. 'p:' .. id
  keys[#keys + 1] = p
  keys[#keys + 1] = p .. ':el'
  keys[#keys + 1] = p .. ':v'
end
members(KEYS[2], add_agent)
members(KEYS[3], add_agent)
members(KEYS[6], add_proposal)
members(KEYS[7], add_proposal)

local t = redis.call('TIME')
local out = { tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) }
local count, bytes = 0, 0
for _, key in ipairs(keys) do
  local payload = redis.call('DUMP', key)
  if payload then
    count = count + 1
    bytes = bytes + #payload
    if count > MAX_KEYS then return too_large('keys', MAX_KEYS, count) end
    if bytes > MAX_BYTES then return too_large('bytes', MAX_BYTES, bytes) end
    out[#out + 1] = key
    out[#out + 1] = redis.call('PTTL', key)
    out[#out + 1] = payload
  end
end
return out
