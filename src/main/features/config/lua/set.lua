--[[
  set: writes the next version of one configuration scope and announces it.
  KEYS: [1] the scope's current hash, [2] its history list, [3] the change stream.
  ARGV: [1] scope, [2] value (JSON, already validated), [3] expected version ('' = any),
        [4] by, [5] origin ('set' | 'promote' | 'rollback'), [6] reason, [7] versions kept,
        [8] stream cap, [9] now (ms), [10] pub/sub channel.
  Reply: the new version.
  Not applied: {'not-applied', 'conflict', sentence, version} when the expected version is not
         the current one.
  Atomic because the version check, the new version, its history entry and its event must agree:
  two operators saving from the same version cannot both win, and no watcher sees a version the
  history does not hold.
]]
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if ARGV[3] ~= '' and tonumber(ARGV[3]) ~= version then return { 'not-applied', 'conflict', 'another version is current', version } end
local next_version = version + 1
redis.call('HSET', KEYS[1], 'value', ARGV[2], 'version', next_version, 'at', ARGV[9], 'by', ARGV[4])
redis.call('LPUSH', KEYS[2], cjson.encode({ version = next_version, value = ARGV[2], at = tonumber(ARGV[9]), by = ARGV[4], origin = ARGV[5], reason = ARGV[6] }))
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[7]) - 1)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[8], '*', 'scope', ARGV[1], 'version', next_version, 'previous', version, 'by', ARGV[4], 'origin', ARGV[5], 'at', ARGV[9])
-- Subscribers only wake up and read the stream from their last id: nothing is lost unheard.
redis.call('PUBLISH', ARGV[10], ARGV[1] .. ' ' .. next_version)
return next_version
