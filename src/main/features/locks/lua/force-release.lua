--[[
  force-release: an operator takes a lock from whoever holds it.
  KEYS: [1] lock string `<token>|<fence>|<acquiredAt>|<owner>`.
  ARGV: [1] the fence the operator saw ('' for whichever holder is there now).
  Reply: {fence, owner} of the lock released.
  Errors: SD_NOT_FOUND when nothing holds it; SD_CONFLICT when another holder (another fence)
          took it since the operator looked.
  Atomic because the fence check and the delete must be one step: the operator releases the
  holder they saw, never one that took the lock a moment later.
]]
local v = redis.call('GET', KEYS[1])
if not v then return redis.error_reply('SD_NOT_FOUND Nothing holds this lock') end
local token, fence, at, owner = string.match(v, '^([^|]*)|([^|]*)|([^|]*)|(.*)$')
if ARGV[1] ~= '' and ARGV[1] ~= fence then
  return redis.error_reply('SD_CONFLICT The lock changed hands (fence ' .. tostring(fence) .. ', not ' .. ARGV[1] .. '); not released')
end
redis.call('DEL', KEYS[1])
return { tonumber(fence), owner }
