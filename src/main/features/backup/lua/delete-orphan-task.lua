--[[
  delete-orphan-task: recovery deletes a task hash that is in none of its queue's state sets
  (every transition moves a task between sets and its hash together, so such a hash is
  unreachable: no worker takes it, no listing shows it).
  KEYS: [1] wait, [2] delayed, [3] active, [4] finished, [5] dead, [6] the task's hash.
  ARGV: [1] task id.
  Reply: 'deleted', or {'not-applied', 'conflict', why}.
  Atomic because an enqueue or an operator's retry may file the task at this moment.
]]
for i = 1, 5 do
  if redis.call('ZSCORE', KEYS[i], ARGV[1]) then return {'not-applied', 'conflict', 'the task is in a state set again'} end
end
if redis.call('DEL', KEYS[6]) == 0 then return {'not-applied', 'conflict', 'the task hash is already gone'} end
return 'deleted'
