--[[
  release: the owner gives its lock up.
  KEYS: [1] lock hash.
  ARGV: [1] owner token.
  Reply: the fence that was released.
  Errors: SD_LEASE_LOST when the caller no longer holds the lock (expired, force-released,
          or taken by another owner since).
  Atomic because the owner check and the delete must be one step: a lock that expired and was
  taken by another owner in between is never deleted under its new holder.
]]
local f = redis.call('HMGET', KEYS[1], 'token', 'fence')
if f[1] ~= ARGV[1] then
  if f[1] then return redis.error_reply('SD_LEASE_LOST The lock is held by another owner now (fence ' .. f[2] .. '); not released') end
  return redis.error_reply('SD_LEASE_LOST The lock is no longer held by this owner (it expired or was force-released)')
end
redis.call('DEL', KEYS[1])
return tonumber(f[2])
