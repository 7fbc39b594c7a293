--[[
  replace-if-unchanged: a restore's (or an undo's) write of a batch of keys, each written only
  if it still holds exactly what the journal recorded for it.
  KEYS: the keys, all of one hash slot on a cluster (any keys on a standalone server).
  ARGV: [1] '1' when the server has PEXPIRETIME (expiries compared to the millisecond), else '0'
        (only whether an expiry is set is compared); then 7 per key, in the order of KEYS:
        expect ('a' absent | 'v' value), SHA-1 of the expected DUMP (hex, '' when absent),
        expected absolute expiry (ms, -1 for none), action ('r' RESTORE | 'd' DEL),
        RESTORE's ttl, 'ABSTTL' or '', payload.
  Reply: one item per key: 1 when it was written, else { current DUMP ('' when absent),
         current absolute expiry (-1 for none) } and the key is left as it is.
  Atomic because a writer may change a key at any moment: checking what a key holds and
  replacing it in one step is what lets the journal say, for every key ever replaced, what it
  held at the instant it was replaced, so that undo puts back a writer's value, not an older one.
]]
local exact = ARGV[1] == '1'
local now = nil
local out = {}
for i, key in ipairs(KEYS) do
  local a = 2 + (i - 1) * 7
  local cur = redis.call('DUMP', key)
  local at = exact and redis.call('PEXPIRETIME', key) or redis.call('PTTL', key)
  local same
  if ARGV[a] == 'a' then
    same = cur == false
  else
    local want = tonumber(ARGV[a + 2])
    same = cur ~= false and redis.sha1hex(cur) == ARGV[a + 1]
    if exact then same = same and at == want else same = same and ((at >= 0) == (want ~= -1)) end
  end
  if same then
    if ARGV[a + 3] == 'd' then
      redis.call('DEL', key)
    elseif ARGV[a + 5] == 'ABSTTL' then
      redis.call('RESTORE', key, ARGV[a + 4], ARGV[a + 6], 'REPLACE', 'ABSTTL')
    else
      redis.call('RESTORE', key, ARGV[a + 4], ARGV[a + 6], 'REPLACE')
    end
    out[i] = 1
  else
    if at >= 0 and not exact then
      if not now then
        local t = redis.call('TIME')
        now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      end
      at = now + at
    elseif at < 0 then
      at = -1
    end
    out[i] = { cur or '', at }
  end
end
return out
