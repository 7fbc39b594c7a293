--[[
  rollback: makes an earlier version of a scope current again, as its next version.
  KEYS: [1] the scope's current hash, [2] its history list, [3] the change stream.
  ARGV: [1] scope, [2] the version to restore, [3] by, [4] reason, [5] versions kept,
        [6] stream cap, [7] now (ms), [8] pub/sub channel.
  Reply: {version, value}: the new version and the document restored. 'not-found' (not applied) when that
         version is not kept.
  Atomic because the version is looked up in the history and written back in one step: a save
  in between would otherwise be overwritten by a rollback the operator chose before seeing it.
]]
local wanted = tonumber(ARGV[2])
local found
for _, line in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  local v = cjson.decode(line)
  if v.version == wanted then found = v break end
end
if not found then return { 'not-applied', 'not-found', 'version ' .. ARGV[2] .. ' of ' .. ARGV[1] .. ' is not kept' } end
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
local next_version = version + 1
redis.call('HSET', KEYS[1], 'value', found.value, 'version', next_version, 'at', ARGV[7], 'by', ARGV[3])
redis.call('LPUSH', KEYS[2], cjson.encode({ version = next_version, value = found.value, at = tonumber(ARGV[7]), by = ARGV[3], origin = 'rollback', reason = ARGV[4] }))
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[5]) - 1)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'scope', ARGV[1], 'version', next_version, 'previous', version, 'by', ARGV[3], 'origin', 'rollback', 'at', ARGV[7])
redis.call('PUBLISH', ARGV[8], ARGV[1] .. ' ' .. next_version)
return { next_version, found.value }
