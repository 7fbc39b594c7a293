--[[
  pause: pauses ('1') or resumes ('0') handing out tasks.
  KEYS: the queue's nine (includes.lua).
  ARGV: common three, [4] '1' or '0'.
  Reply: 1.
  Atomic because resuming must wake the idle workers for exactly the tasks waiting at that
  moment, and the flag and its event must not disagree.
]]
redis.call('HSET', K_META, 'paused', ARGV[4])
if ARGV[4] == '0' then wake(math.min(redis.call('ZCARD', K_WAIT), 1000)) end
emit(ARGV[4] == '1' and 'paused' or 'resumed', '')
return 1
