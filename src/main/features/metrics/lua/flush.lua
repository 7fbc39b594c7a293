--[[
  flush: adds one batch of one series' samples to the ring slots of the buckets it touches.
  KEYS: a ring hash per bucket (any resolution, any tag set of the series, repeated for each of
        its buckets; one slot by its hash tag), and the series' tag hash.
  ARGV: per key, in order: bucket start ms, bucket size ms, ring slots, expire-at ms, count,
        sum, min, max, n, then n histogram field/count pairs. A count of `touch` only moves the
        key's expiry later: the tag hash lives as long as the series' longest-kept bucket.
  A ring keeps its slot count (`n`) from its first write, so writers with another retention
  still agree on where a bucket lives; slot = floor(start / size) mod n. A slot holds one
  bucket as `start expire-at count sum min max field count …`: the same start merges, an older
  one is replaced (a whole ring ago, past its retention), a newer one wins over a late write.
  A bucket already past its expiry (by the server's clock, as PEXPIREAT in the past would
  delete it) is not written. `since` is the server time of the ring's first write: readers
  look for buckets of the keys written before rings only for starts before it.
  Reply: the number of buckets written.
  Atomic because merging a slot is a read-then-write that must not interleave with another
  writer's, and a reader must never see a bucket whose count and histogram disagree.
]]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local function fmt(x) return string.format('%.17g', x) end

local function merge(k, a)
  local start, exp = tonumber(ARGV[a]), tonumber(ARGV[a + 3])
  if exp <= now then return 0 end
  local n = tonumber(redis.call('HGET', k, 'n'))
  if not n then
    n = tonumber(ARGV[a + 2])
    redis.call('HSET', k, 'n', n, 'since', now)
  end
  local slot = tostring(math.floor(start / tonumber(ARGV[a + 1])) % n)
  local c, s, mn, mx = tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5]), tonumber(ARGV[a + 6]), tonumber(ARGV[a + 7])
  local hist, order = {}, {}
  local stored = redis.call('HGET', k, slot)
  if stored then
    local f = {}
    for w in string.gmatch(stored, '%S+') do f[#f + 1] = w end
    local was = tonumber(f[1])
    if was > start then return 0 end
    if was == start then
      exp = math.max(exp, tonumber(f[2]))
      c = c + tonumber(f[3])
      s = s + tonumber(f[4])
      mn = math.min(mn, tonumber(f[5]))
      mx = math.max(mx, tonumber(f[6]))
      for j = 7, #f - 1, 2 do
        hist[f[j]] = tonumber(f[j + 1])
        order[#order + 1] = f[j]
      end
    end
  end
  for j = 0, tonumber(ARGV[a + 8]) - 1 do
    local field = ARGV[a + 9 + 2 * j]
    if not hist[field] then order[#order + 1] = field end
    hist[field] = (hist[field] or 0) + tonumber(ARGV[a + 10 + 2 * j])
  end
  local out = { fmt(start), fmt(exp), fmt(c), fmt(s), fmt(mn), fmt(mx) }
  for _, field in ipairs(order) do
    out[#out + 1] = field
    out[#out + 1] = fmt(hist[field])
  end
  redis.call('HSET', k, slot, table.concat(out, ' '))
  if redis.call('PEXPIRETIME', k) < exp then redis.call('PEXPIREAT', k, exp) end
  return 1
end

local a = 1
local written = 0
for i = 1, #KEYS do
  local k = KEYS[i]
  if ARGV[a + 4] == 'touch' then
    local at = tonumber(ARGV[a + 3])
    local current = redis.call('PEXPIRETIME', k)
    if current < 0 or current < at then redis.call('PEXPIREAT', k, at) end
  else
    written = written + merge(k, a)
  end
  a = a + 9 + 2 * tonumber(ARGV[a + 8])
end
return written
