--[[
  Proposal tallies and the strategy rules, prepended (after includes.lua) to the scripts
  that open, vote on and expire proposals. A proposal closes as soon as its outcome is
  settled by the votes cast: accepted when the rule is met, rejected when the agents yet to
  vote could no longer meet it. Ties are rejections; the weighted rule counts a share equal
  to the threshold as met.
]]
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
-- pk: the proposal's hash, vk: its votes hash.
local function evaluate(pk, vk, id)
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
      local v = redis.call('HGET', vk, leader)
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
