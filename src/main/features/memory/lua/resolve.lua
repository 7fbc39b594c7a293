--[[
  resolve: settles a kept manual conflict with the agent's value, Redis's, or the operator's.
  KEYS: [1] entry hash, [2] namespace version counter, [3] key index, [4] conflicts hash.
  ARGV: [1] key, [2] choice ('local' | 'remote' | 'value'), [3] the operator's value (for
        'value'), [4] resolved by, [5] now (ms).
  Reply: the entry's version after resolution. 'not-found' (not applied) when no conflict is kept for the
         key; 'conflict' (not applied) when the entry changed since the conflict was kept (nothing changed:
         the operator chose against a value that is no longer there).
  Atomic because the check that the entry is still the one shown, the write and the removal of
  the conflict must be one step, or a concurrent writer's version would be overwritten unseen.
]]
local raw = redis.call('HGET', KEYS[4], ARGV[1])
if not raw then return { 'not-applied', 'not-found', 'no conflict is kept for ' .. ARGV[1] } end
local conflict = cjson.decode(raw)
local cur = redis.call('HMGET', KEYS[1], 'version', 'tags')
local version = tonumber(cur[1] or '0')
if version ~= conflict.remote.version then
  return { 'not-applied', 'conflict', '' .. ARGV[1] .. ' changed since the conflict was kept (version ' .. version .. ', not ' .. conflict.remote.version .. '): reload it' }
end
redis.call('HDEL', KEYS[4], ARGV[1])
if ARGV[2] == 'remote' then return version end
local value = ARGV[3]
if ARGV[2] == 'local' then value = conflict['local'].value end
local next_version = redis.call('INCR', KEYS[2])
-- HSET keeps the entry's TTL and tags; an entry deleted meanwhile comes back untagged.
redis.call('HSET', KEYS[1], 'value', value, 'version', next_version, 'updatedBy', ARGV[4], 'updatedAt', ARGV[5], 'tags', cur[2] or '[]')
redis.call('ZADD', KEYS[3], 0, ARGV[1])
return next_version
