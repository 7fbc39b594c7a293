--[[
  delete: removes one memory entry and its index members.
  KEYS: [1] entry hash, [2] key index, [3] tag index.
  ARGV: [1] key, [2] expected version ('' = any).
  Reply: 1 when deleted, 0 when there was no entry; 'conflict' (not applied) when the expected version is
         not the current one (nothing deleted).
  Atomic because the tags to unindex are read from the entry being deleted: a write between the
  read and the delete would leave index members naming tags of a value that is gone.
]]
local cur = redis.call('HMGET', KEYS[1], 'version', 'tags')
if not cur[1] then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 0
end
if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= tonumber(cur[1]) then
  return { 'not-applied', 'conflict', '' .. ARGV[1] .. ' is at version ' .. cur[1] .. ', not ' .. ARGV[2] .. ': not deleted' }
end
for _, tag in ipairs(cjson.decode(cur[2] or '[]')) do redis.call('ZREM', KEYS[3], tag .. '|' .. ARGV[1]) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
