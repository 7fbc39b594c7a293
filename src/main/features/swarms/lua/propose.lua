--[[
  propose: opens a proposal; eligible voters and their weights are fixed when it opens.
  KEYS: the swarm's eight (includes.lua). The proposal's id is handed out inside and the
        voters may be the live agents read inside, so the proposal's hashes and the voters'
        hashes are derived: BASE .. 'p:' .. id (…':el') and BASE .. 'a:' .. voter.
  ARGV: common four, [5] title, [6] detail, [7] proposer, [8] threshold, [9] open ms,
        [10] voters (comma list; '' = every live agent).
  Reply: the proposal id ('p-<n>').
  Not applied: 'not-found' (no such swarm, or a named voter not registered), 'conflict' (swarm
          not running, or no live agent to vote).
  Atomic because the electorate is a snapshot: an agent joining or dying while the proposal
  opens is either in it with its weight or not, never half counted.
]]
local status, err = need_swarm()
if err then return err end
if status ~= 'running' then return refuse('conflict', 'Swarm ' .. SWARM .. ' is ' .. status .. ' and takes no proposals') end
local voters = {}
if ARGV[10] ~= '' then
  for v in string.gmatch(ARGV[10], '[^,]+') do
    if not redis.call('HGET', agent_key(v), 'ttlMs') then return not_registered(v) end
    voters[#voters + 1] = v
  end
else
  voters = redis.call('ZRANGEBYSCORE', K_HB, NOW, '+inf')
end
if #voters == 0 then return refuse('conflict', 'Swarm ' .. SWARM .. ' has no live agent to vote') end
local id = 'p-' .. redis.call('HINCRBY', K_SWARM, 'proposalSeq', 1)
local pk = pkey(id)
local weight = 0
for _, v in ipairs(voters) do
  local w = tonumber(redis.call('HGET', agent_key(v), 'weight') or '1')
  redis.call('HSET', pk .. ':el', v, w)
  weight = weight + w
end
local deadline = NOW + tonumber(ARGV[9])
redis.call('HSET', pk, 'id', id, 'title', ARGV[5], 'detail', ARGV[6], 'proposer', ARGV[7],
  'strategy', redis.call('HGET', K_SWARM, 'strategy'), 'threshold', ARGV[8], 'status', 'open',
  'createdAt', NOW, 'deadline', deadline, 'eligible', #voters, 'eligibleWeight', weight,
  'yes', 0, 'no', 0, 'abstain', 0, 'yesWeight', 0, 'noWeight', 0, 'abstainWeight', 0, 'ratio', 0, 'participation', 0)
redis.call('ZADD', K_PROPOSALS, NOW, id)
redis.call('ZADD', K_OPEN, deadline, id)
emit('proposal.opened', 'proposal', id, 'title', ARGV[5], 'by', ARGV[7], 'eligible', #voters)
return id
