--[[
  extend: the owner pushes its lease's expiry out (the watchdog's renewal).
  KEYS: [1] lock hash.
  ARGV: [1] owner token, [2] new ttl ms (from now).
  Reply: the fence still held.
  Errors: SD_LEASE_LOST when the caller no longer holds the lock.
  Atomic because the owner check and the new expiry must be one step: a lock taken by another
  owner in between is never extended under its new holder.
]]
local f = redis.call('HMGET', KEYS[1], 'token', 'fence')
if f[1] ~= ARGV[1] then
  return redis.error_reply('SD_LEASE_LOST The lock is no longer held by this owner; not extended')
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[1], 'ttlMs', ARGV[2])
return tonumber(f[2])
