--[[
  flush: adds one batch of one series' samples to every bucket it touches.
  KEYS: the bucket hashes (any resolution, any tag set of the series; one slot by its hash tag),
        and the series' tag hash.
  ARGV: per key, in order: expire-at ms, count, sum, min, max, n, then n histogram
        field/count pairs. A count of `touch` only moves the key's expiry later: the tag hash
        lives as long as the series' longest-kept bucket, so an abandoned series goes whole.
  Reply: the number of buckets written.
  Atomic because min and max are a compare-then-set that must not interleave with another
  writer's, and a reader must never see a bucket whose count and histogram disagree.
]]
local a = 1
local written = 0
for i = 1, #KEYS do
  local k = KEYS[i]
  if ARGV[a + 1] == 'touch' then
    local at = tonumber(ARGV[a])
    local current = redis.call('PEXPIRETIME', k)
    if current < 0 or current < at then redis.call('PEXPIREAT', k, at) end
    a = a + 6
  else
    redis.call('HINCRBY', k, 'c', ARGV[a + 1])
    redis.call('HINCRBYFLOAT', k, 's', ARGV[a + 2])
    local mn = redis.call('HGET', k, 'mn')
    if not mn or tonumber(ARGV[a + 3]) < tonumber(mn) then redis.call('HSET', k, 'mn', ARGV[a + 3]) end
    local mx = redis.call('HGET', k, 'mx')
    if not mx or tonumber(ARGV[a + 4]) > tonumber(mx) then redis.call('HSET', k, 'mx', ARGV[a + 4]) end
    local n = tonumber(ARGV[a + 5])
    a = a + 6
    for j = 0, n - 1 do
      redis.call('HINCRBY', k, ARGV[a + 2 * j], ARGV[a + 2 * j + 1])
    end
    redis.call('PEXPIREAT', k, ARGV[a - 6])
    a = a + 2 * n
    written = written + 1
  end
end
return written
