--[[
  expire-due: closes every open proposal past its deadline, at most 100 per call.
  KEYS: the swarm's eight (includes.lua). The proposals are only known inside (read from
        `open`), so their hashes are derived: BASE .. 'p:' .. id.
  ARGV: common four.
  Reply: how many were closed.
  Atomic because a proposal must not be expired and accepted by a last vote at once: it
  closes exactly once.
]]
local due = redis.call('ZRANGEBYSCORE', K_OPEN, '-inf', '(' .. NOW, 'LIMIT', 0, 100)
for _, id in ipairs(due) do close(pkey(id), id, 'expired') end
return #due
