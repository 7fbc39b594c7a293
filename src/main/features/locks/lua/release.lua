--[[
  release: the owner gives its lock up.
  KEYS: [1] lock string `<token>|<fence>|<acquiredAt>|<owner>`.
  ARGV: [1] owner token.
  Reply: 1.
  Not applied: 'lease-lost' when the caller no longer holds the lock (expired, force-released,
          or taken by another owner since).
  Atomic because the owner check and the delete must be one step: a lock that expired and was
  taken by another owner in between is never deleted under its new holder.
]]
local v = redis.call('GET', KEYS[1])
if not v then
  return { 'not-applied', 'lease-lost', 'The lock is no longer held by this owner (it expired or was force-released)' }
end
if string.sub(v, 1, #ARGV[1] + 1) ~= ARGV[1] .. '|' then
  return { 'not-applied', 'lease-lost', 'The lock is held by another owner now; not released' }
end
redis.call('DEL', KEYS[1])
return 1
