--[[
  force-release: an operator takes a lock from whoever holds it.
  KEYS: [1] lock string `<token>|<fence>|<acquiredAt>|<owner>`.
  ARGV: [1] the fence the operator saw ('' for whichever holder is there now).
  Reply: {fence, owner} of the lock released.
  Not applied: 'not-found' when nothing holds it; 'conflict' when another holder (another fence)
          took it since the operator looked.
  Atomic because the fence check and the delete must be one step: the operator releases the
  holder they saw, never one that took the lock a moment later.
]]
local v = redis.call('GET', KEYS[1])
if not v then return { 'not-applied', 'not-found', 'Nothing holds this lock' } end
local token, fence, at, owner = string.match(v, '^([^|]*)|([^|]*)|([^|]*)|(.*)$')
if ARGV[1] ~= '' and ARGV[1] ~= fence then
  return { 'not-applied', 'conflict', 'The lock changed hands (fence ' .. tostring(fence) .. ', not ' .. ARGV[1] .. '); not released' }
end
redis.call('DEL', KEYS[1])
return { tonumber(fence), owner }
