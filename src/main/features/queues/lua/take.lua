--[[
  take: leases up to `count` waiting tasks to one holder, after recovering expired leases
  and promoting due delayed tasks.
  KEYS: the queue's nine (includes.lua). The tasks handed out, recovered or promoted are only
        known inside, so their hashes are TASK_BASE .. id (same slot).
  ARGV: common three, then from [4]: count, leaseMs, holder, token base, capabilities (comma
        list), promote limit, scan limit, stalled limit.
  Reply: { next due time (ms) or '' when something was handed out, then per task: id, data,
         attempt, maxAttempts, token }.
  Atomic because two workers taking at once must never lease the same task, and a task
  leaves `wait` in the same step that puts it in `active` with its token.
]]
return take(4)
