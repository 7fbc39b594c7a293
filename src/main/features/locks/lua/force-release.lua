--[[
  force-release: an operator takes a lock from whoever holds it.
  KEYS: [1] lock hash.
  ARGV: [1] the fence the operator saw ('' for whichever holder is there now).
  Reply: {fence, owner} of the lock released.
  Errors: SD_NOT_FOUND when nothing holds it; SD_CONFLICT when another holder (another fence)
          took it since the operator looked.
  Atomic because the fence check and the delete must be one step: the operator releases the
  holder they saw, never one that took the lock a moment later.
]]
local f = redis.call('HMGET', KEYS[1], 'fence', 'owner')
if not f[1] then return redis.error_reply('SD_NOT_FOUND Nothing holds this lock') end
if ARGV[1] ~= '' and ARGV[1] ~= f[1] then
  return redis.error_reply('SD_CONFLICT The lock changed hands (fence ' .. f[1] .. ', not ' .. ARGV[1] .. '); not released')
end
redis.call('DEL', KEYS[1])
return { tonumber(f[1]), f[2] }
