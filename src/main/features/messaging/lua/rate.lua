--[[
  rate: counts one message of a publisher against a route's fixed-window rate limit.
  KEYS: [1] the route's rate hash for this publisher (w: window index, n: messages in it).
  ARGV: [1] now (ms, the caller's clock), [2] window length (ms), [3] limit per window.
  Reply: {1, count, window end ms} when let through; {0, count, window end ms} when refused.
  The window's boundary is computed here from the caller's time (floor(now / window)), so a
  message at the last millisecond of a window and one at the first of the next are judged
  against their own windows. Atomic because reading the count, starting a new window and
  counting must be one step: two publishers' messages at the limit never both pass, and no
  INCR is ever left without its expiry.
]]
local now = tonumber(ARGV[1])
local span = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local window = math.floor(now / span)
local current = redis.call('HMGET', KEYS[1], 'w', 'n')
local count = 0
if tonumber(current[1]) == window then count = tonumber(current[2]) end
local ends = (window + 1) * span
if count >= limit then return { 0, count, ends } end
redis.call('HSET', KEYS[1], 'w', window, 'n', count + 1)
-- Relative, so a caller's clock that differs from the server's never expires a live window.
redis.call('PEXPIRE', KEYS[1], span * 2)
return { 1, count + 1, ends }
