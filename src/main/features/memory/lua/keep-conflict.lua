--[[
  keep-conflict: keeps a write that met a newer version (manual strategy) for an operator.
  KEYS: [1] entry hash, [2] conflicts hash.
  ARGV: [1] key, [2] the agent's value, [3] the version it had read, [4] the agent, [5] when it
        wrote locally (ms), [6] now (ms).
  Reply: the remote version, when kept.
  Not applied: {'not-applied', 'conflict', sentence} when the entry is back at the version the
         agent read (there is no conflict to keep: the write may simply be retried).
  Atomic because the conflict records what Redis holds: read and kept in two steps, another
  writer could slip in between and the operator would choose against a value that is gone.
]]
local cur = redis.call('HMGET', KEYS[1], 'version', 'value', 'updatedBy', 'updatedAt')
local version = tonumber(cur[1] or '0')
if version == tonumber(ARGV[3]) then return { 'not-applied', 'conflict', 'the entry is back at the version read' } end
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode({
  ['local'] = { value = ARGV[2], baseVersion = tonumber(ARGV[3]), by = ARGV[4], at = tonumber(ARGV[5]) },
  remote = { value = cur[2] or '', version = version, by = cur[3] or '', at = tonumber(cur[4] or '0') },
  detectedAt = tonumber(ARGV[6]),
}))
return version
