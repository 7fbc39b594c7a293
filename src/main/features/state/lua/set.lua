--[[
  set: compare-and-set of one versioned state key.
  KEYS: [1] current value hash (value, version, source, meta, at; expires with its TTL),
        [2] version counter (never expires), [3] history list (newest first, capped),
        [4] change stream (capped).
  ARGV: [1] value, [2] expected version ('' = any; '0' = must not exist), [3] ttl ms ('' = none),
        [4] source, [5] metadata (JSON object), [6] versions kept, [7] stream cap, [8] now (ms).
  Reply: the new version when written.
  Not applied: {'not-applied', 'conflict', sentence, version, value, source, meta, at} when the
         expected version is not the current one (version 0: no current value), nothing written.
  Atomic because the version check, the next version and the write must be one step: of many
  writers expecting the same version exactly one wins, and a version number is never reused,
  even after a value expired.
]]
local cur = redis.call('HMGET', KEYS[1], 'version', 'value', 'source', 'meta', 'at')
local version = tonumber(cur[1] or '0')
if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= version then
  return { 'not-applied', 'conflict', 'another version is current', version, cur[2] or '', cur[3] or '', cur[4] or '{}', cur[5] or '0' }
end
local next_version = redis.call('INCR', KEYS[2])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'value', ARGV[1], 'version', next_version, 'source', ARGV[4], 'meta', ARGV[5], 'at', ARGV[8])
if ARGV[3] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
redis.call('LPUSH', KEYS[3], cjson.encode({ version = next_version, value = ARGV[1], source = ARGV[4], meta = ARGV[5], at = tonumber(ARGV[8]) }))
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[6]) - 1)
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[7], '*', 'version', next_version, 'value', ARGV[1], 'source', ARGV[4], 'meta', ARGV[5], 'previous', version, 'at', ARGV[8])
return next_version
