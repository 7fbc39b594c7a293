--[[
  put: compare-and-set of one memory entry, with its key and tag indexes.
  KEYS: [1] entry hash, [2] namespace version counter, [3] key index (zset, lex),
        [4] tag index (zset of 'tag|key', lex).
  ARGV: [1] key, [2] value (JSON text), [3] tags (JSON array), [4] ttl ms ('' = none),
        [5] expected version ('' = any; '0' = must not exist), [6] written by, [7] now (ms).
  Reply: the new version when written.
  Not applied: {'not-applied', 'conflict', sentence, version, value, updatedBy, updatedAt, tags}
         when the expected version is not the current one (version 0: no entry), nothing written.
  Atomic because the version check, the next version, the value and both indexes must change in
  one step: of two agents writing from the same version exactly one wins, and an index never
  names tags the entry no longer has.
]]
local cur = redis.call('HMGET', KEYS[1], 'version', 'value', 'updatedBy', 'updatedAt', 'tags')
local version = tonumber(cur[1] or '0')
if ARGV[5] ~= '' and tonumber(ARGV[5]) ~= version then
  return { 'not-applied', 'conflict', 'another version is current', version, cur[2] or '', cur[3] or '', cur[4] or '0', cur[5] or '[]' }
end
if cur[5] then
  for _, tag in ipairs(cjson.decode(cur[5])) do redis.call('ZREM', KEYS[4], tag .. '|' .. ARGV[1]) end
end
local next_version = redis.call('INCR', KEYS[2])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'value', ARGV[2], 'version', next_version, 'updatedBy', ARGV[6], 'updatedAt', ARGV[7], 'tags', ARGV[3])
if ARGV[4] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
redis.call('ZADD', KEYS[3], 0, ARGV[1])
for _, tag in ipairs(cjson.decode(ARGV[3])) do redis.call('ZADD', KEYS[4], 0, tag .. '|' .. ARGV[1]) end
return next_version
