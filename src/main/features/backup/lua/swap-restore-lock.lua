--[[
  swap-restore-lock: the one change of a target's restore lock once it is held: renewed by its
  holder, released by its holder, or taken over from a holder that is gone.
  KEYS: [1] the lock (backupKeys(P).restoreLock).
  ARGV: [1] the holder expected there now, [2] the new holder ('' to release), [3] lease in ms.
  Reply: 1 when swapped, 0 when the lock no longer holds ARGV[1] (it ran out or another took it).
  Atomic because another restore or undo may take the lock at this moment: only the holder that
  is there may be replaced, so two never write to one target at once.
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1
