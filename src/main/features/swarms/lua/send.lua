--[[
  send: a message from one agent to another; the caller has checked the topology's edge.
  KEYS: the swarm's eight (includes.lua), [9] the sender's hash, [10] the recipient's hash.
  ARGV: common four, [5] from, [6] to, [7] kind, [8] body, [9] message history cap.
  Reply: the message's stream id.
  Not applied: 'not-found' when either agent is not registered.
  Atomic because the message and the swarm's message count and activity go together: the
  count read by the swarms list always matches the stream.
]]
if not redis.call('HGET', KEYS[9], 'ttlMs') then return not_registered(ARGV[5]) end
if not redis.call('HGET', KEYS[10], 'ttlMs') then return not_registered(ARGV[6]) end
redis.call('HINCRBY', K_SWARM, 'messages', 1)
redis.call('HSET', K_SWARM, 'activity', NOW)
return redis.call('XADD', K_MSGS, 'MAXLEN', '~', ARGV[9], '*', 'from', ARGV[5], 'to', ARGV[6], 'kind', ARGV[7], 'body', ARGV[8])
