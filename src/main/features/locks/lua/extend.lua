--[[
  extend: the owner pushes its lease's expiry out (the watchdog's renewal).
  KEYS: [1] lock string `<token>|<fence>|<acquiredAt>|<owner>`.
  ARGV: [1] owner token, [2] new ttl ms (from now).
  Reply: 1.
  Not applied: 'lease-lost' when the caller no longer holds the lock.
  Atomic because the owner check and the new expiry must be one step: a lock taken by another
  owner in between is never extended under its new holder.
]]
local v = redis.call('GET', KEYS[1])
if not v or string.sub(v, 1, #ARGV[1] + 1) ~= ARGV[1] .. '|' then
  return { 'not-applied', 'lease-lost', 'The lock is no longer held by this owner; not extended' }
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
